package dev.jbuild.builder.exec;

import dev.jbuild.builder.context.BuildContext;
import dev.jbuild.builder.context.ContextEntry;
import dev.jbuild.builder.context.IgnoreRules;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.layer.LayerApplier;
import dev.jbuild.store.sys.LinuxSys;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Writes ADD/COPY sources into a mounted rootfs from the host side. Destinations are paths inside the image,
 * resolved within the rootfs one component at a time ({@link RootfsPaths}): an existing symlinked parent such
 * as {@code /usr/local -> /opt} is followed inside the rootfs, a symlink to {@code /etc} of the host can never
 * be. The last component is replaced, never written through.
 *
 * <p>Semantics as docker's: a directory source copies its contents; files keep their mode (setuid included)
 * and mtime; context files are owned by root and files from another stage keep their owners unless
 * {@code --chown}; {@code --chmod} sets the mode of everything copied; directories the copy creates are 0755
 * (and chowned). Symlinks inside a copied directory are copied as symlinks; hard links become separate files.
 */
public final class FileCopier {
  private static final String STAT = "unix:mode,uid,gid,lastModifiedTime";

  private final Path root;

  /** @param root the mounted rootfs to write into */
  public FileCopier(Path root) {
    this.root = root;
  }

  /** A numeric owner. */
  public record Owner(long uid, long gid) {}

  /**
   * {@code --chown} and {@code --chmod}; {@code keepOwners} for sources from another stage or image; {@code
   * exclude}: the {@code --exclude} patterns, matched against paths relative to each source (a file's own name).
   */
  public record Options(Optional<Owner> chown, OptionalInt chmod, boolean keepOwners, IgnoreRules exclude) {
    public Options(Optional<Owner> chown, OptionalInt chmod, boolean keepOwners) {
      this(chown, chmod, keepOwners, IgnoreRules.none());
    }

    boolean excluded(String rel) {
      return !exclude.patterns().isEmpty() && exclude.matchesOrParentMatches(rel);
    }
  }

  /** One source entry to copy, relative to the copied directory ({@code ""} for the source itself). */
  private record Entry(Path host, String rel, ContextEntry.Type type) {}

  /** Copies context path {@code rel} (file or directory) to {@code dest} (a file path, or a directory when {@code destIsDir}). */
  public void copyFromContext(BuildContext ctx, String rel, String dest, boolean destIsDir, Options o) throws IOException {
    Path host = ctx.resolve(rel);
    if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      String base = ctx.relativize(host);
      List<Entry> entries = new ArrayList<>();
      for (ContextEntry e : ctx.walk(base)) {
        String r = base.equals(".") ? e.path() : e.path().substring(base.length() + 1);
        if (!o.excluded(r)) {
          entries.add(new Entry(ctx.root().resolve(e.path()), r, e.type()));
        }
      }
      copyTree(host, entries, dest, o);
    } else if (!o.excluded(host.getFileName().toString())) {
      copyFile(host, fileDest(host, dest, destIsDir), o);
    }
  }

  /** Copies path {@code src} of another rootfs ({@code COPY --from}) to {@code dest}. */
  public void copyFromRootfs(Path srcRoot, String src, String dest, boolean destIsDir, Options o) throws IOException {
    Path host = RootfsPaths.resolve(srcRoot, src);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new JbuildException(src, "no such file or directory in the source image", null);
    }
    if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      List<Entry> entries = new ArrayList<>();
      walk(host, "", entries);
      entries.removeIf(e -> o.excluded(e.rel()));
      copyTree(host, entries, dest, o);
    } else if (!o.excluded(host.getFileName().toString())) {
      copyFile(host, fileDest(host, dest, destIsDir), o);
    }
  }

  /** Writes a heredoc file named {@code name} with {@code content} (mode 0644 unless {@code --chmod}). */
  public void writeInline(String name, String content, String dest, boolean destIsDir, Options o) throws IOException {
    String inside = destIsDir || isDirInRoot(dest) ? join(dest, name) : dest;
    Path target = prepareTarget(inside);
    Files.writeString(target, content, StandardCharsets.UTF_8);
    Files.setAttribute(target, "unix:mode", o.chmod().orElse(0644), LinkOption.NOFOLLOW_LINKS);
    Owner owner = o.chown().orElse(new Owner(0, 0));
    LinuxSys.lchown(target, owner.uid(), owner.gid());
  }

  /**
   * {@code --parents}: gives directory {@code destDir} (a parent the copy made or passed through) the
   * mode, owner (under the same rules as copied files) and mtime of source directory {@code srcDir},
   * as BuildKit copies the kept parents from the source tree.
   */
  public void copyDirectoryAttributes(Path srcDir, String destDir, Options o) throws IOException {
    Path target = RootfsPaths.resolve(root, destDir);
    if (Files.isDirectory(srcDir, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      applyAttributes(target, Files.readAttributes(srcDir, STAT, LinkOption.NOFOLLOW_LINKS), o);
    }
  }

  private String fileDest(Path host, String dest, boolean destIsDir) throws IOException {
    return destIsDir || isDirInRoot(dest) ? join(dest, host.getFileName().toString()) : dest;
  }

  private boolean isDirInRoot(String inside) throws IOException {
    return Files.isDirectory(RootfsPaths.resolve(root, inside));
  }

  private static String join(String dir, String name) {
    return RootfsPaths.clean(dir + "/" + name);
  }

  private static void walk(Path dir, String rel, List<Entry> out) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path c : children) {
      String r = rel.isEmpty() ? c.getFileName().toString() : rel + "/" + c.getFileName();
      ContextEntry.Type t = Files.isSymbolicLink(c) ? ContextEntry.Type.SYMLINK
          : Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS) ? ContextEntry.Type.DIRECTORY
          : Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS) ? ContextEntry.Type.FILE : ContextEntry.Type.OTHER;
      out.add(new Entry(c, r, t));
      if (t == ContextEntry.Type.DIRECTORY) {
        walk(c, r, out);
      }
    }
  }

  private void copyTree(Path srcDir, List<Entry> entries, String dest, Options o) throws IOException {
    Owner created = o.chown().orElse(new Owner(0, 0));
    RootfsPaths.mkdirs(root, dest, created.uid(), created.gid());
    List<Entry> dirs = new ArrayList<>();
    for (Entry e : entries) {
      String inside = join(dest, e.rel());
      switch (e.type()) {
        case DIRECTORY -> {
          Path target = RootfsPaths.resolve(root, inside);
          if (!Files.isDirectory(target)) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
              Files.delete(target);
            }
            Files.createDirectory(target);
          }
          dirs.add(e);
        }
        case FILE -> copyFile(e.host(), inside, o);
        case SYMLINK -> {
          Path target = prepareTarget(inside);
          LinuxSys.symlink(Files.readSymbolicLink(e.host()).toString(), target);
          Map<String, Object> a = Files.readAttributes(e.host(), STAT, LinkOption.NOFOLLOW_LINKS);
          Owner owner = owner(a, o);
          LinuxSys.lchown(target, owner.uid(), owner.gid());
          setMtime(target, (FileTime) a.get("lastModifiedTime"));
        }
        case OTHER -> { } // fifos, sockets and devices are not copied, as BuildKit skips them
      }
    }
    // directory attributes last, deepest first, so their mtimes survive the children written into them
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Entry e = dirs.get(i);
      Path target = RootfsPaths.resolve(root, join(dest, e.rel()));
      Map<String, Object> a = Files.readAttributes(e.host(), STAT, LinkOption.NOFOLLOW_LINKS);
      applyAttributes(target, a, o);
    }
  }

  private void copyFile(Path src, String inside, Options o) throws IOException {
    Path target = prepareTarget(inside);
    Files.copy(src, target, LinkOption.NOFOLLOW_LINKS);
    applyAttributes(target, Files.readAttributes(src, STAT, LinkOption.NOFOLLOW_LINKS), o);
  }

  /** The host path for writing {@code inside}: parents created, whatever non-directory is there removed. */
  private Path prepareTarget(String inside) throws IOException {
    String clean = RootfsPaths.clean(inside);
    int slash = clean.lastIndexOf('/');
    RootfsPaths.mkdirs(root, slash <= 0 ? "/" : clean.substring(0, slash), 0, 0);
    Path target = RootfsPaths.resolveParent(root, clean);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new JbuildException(clean, "cannot replace a directory with a file", null);
    }
    Files.deleteIfExists(target);
    return target;
  }

  private void applyAttributes(Path target, Map<String, Object> a, Options o) throws IOException {
    Owner owner = owner(a, o);
    LinuxSys.lchown(target, owner.uid(), owner.gid());
    int mode = o.chmod().orElse(((Integer) a.get("mode")) & 07777);
    // after chown: chown clears setuid/setgid bits
    Files.setAttribute(target, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    setMtime(target, (FileTime) a.get("lastModifiedTime"));
  }

  private static Owner owner(Map<String, Object> a, Options o) {
    if (o.chown().isPresent()) {
      return o.chown().get();
    }
    if (o.keepOwners()) {
      return new Owner(((Integer) a.get("uid")) & 0xffffffffL, ((Integer) a.get("gid")) & 0xffffffffL);
    }
    return new Owner(0, 0);
  }

  private static void setMtime(Path p, FileTime t) throws IOException {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
  }

  /** Whether a file is a tar archive ADD extracts: plain, gzip, bzip2, xz or zstd (by content, not name). */
  public static boolean isArchive(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream raw = Files.newInputStream(file); InputStream in = decompress(raw)) {
      byte[] header = in.readNBytes(512);
      return header.length == 512 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(6);
    byte[] m = in.readNBytes(6);
    in.reset();
    if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
      return new BZip2CompressorInputStream(in, true);
    }
    if (m.length == 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
      return new XZCompressorInputStream(in, true);
    }
    // gzip, zstd and plain are detected by the layer codec itself
    return dev.jbuild.store.layer.Compression.decompress(in);
  }

  /**
   * Extracts a local archive into directory {@code dest} (created if missing), through the layer applier's
   * confined extraction: no entry can land outside the directory, owners and modes come from the archive.
   */
  public void extract(Path archive, String dest) throws IOException {
    Path dir = RootfsPaths.mkdirs(root, dest, 0, 0);
    try (InputStream raw = Files.newInputStream(archive); InputStream in = decompress(raw)) {
      LayerApplier.apply(in, dir, LayerApplier.Options.defaults().withMode(LayerApplier.Mode.FLATTEN));
    }
  }

  /** Copies a downloaded file (ADD URL) to {@code dest} with mode 0600, as docker does, unless --chmod. */
  public void copyDownloaded(Path file, String name, String dest, boolean destIsDir, Options o, FileTime mtime)
      throws IOException {
    String inside = destIsDir || isDirInRoot(dest) ? join(dest, name) : dest;
    Path target = prepareTarget(inside);
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    Owner owner = o.chown().orElse(new Owner(0, 0));
    LinuxSys.lchown(target, owner.uid(), owner.gid());
    Files.setAttribute(target, "unix:mode", o.chmod().orElse(0600), LinkOption.NOFOLLOW_LINKS);
    if (mtime != null) {
      setMtime(target, mtime);
    }
  }
}
