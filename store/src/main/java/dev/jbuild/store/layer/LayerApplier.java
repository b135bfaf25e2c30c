package dev.jbuild.store.layer;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.sys.LinuxSys;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies an OCI layer tar (gzip, zstd or plain, detected by magic bytes) to a directory, computing
 * the diffID on the way.
 *
 * <p>{@link Mode#OVERLAY} (the default) fills an empty directory in overlayfs format, a snapshot
 * usable as a lowerdir: {@code .wh.NAME} becomes a character device 0/0 at NAME, {@code
 * .wh..wh..opq} the xattr {@code trusted.overlay.opaque=y} on its directory. {@link Mode#FLATTEN}
 * applies the layer on top of an existing plain tree, as when exporting or squashing: a whiteout
 * deletes, an opaque marker removes what earlier layers put in its directory.
 *
 * <p>Mode (setuid included), numeric owner, mtime (symlinks too), xattrs, hard links, fifos and,
 * when allowed, device nodes are restored. Directory modes and mtimes are set at the end, so a
 * read-only directory can still receive its children and keeps its mtime.
 *
 * <p>Hostile archives are refused with {@link LayerFormatException} naming the entry, and nothing
 * is ever written outside the target: {@code ..} components and NUL bytes are refused (a leading
 * {@code /} is stripped), parents are resolved one component at a time without following
 * symlinks (an entry below a symlink is refused, so a symlink cannot redirect a later write), an
 * existing path is unlinked before it is replaced (never written through), hard links must point
 * at something already inside the target, and overlay's own xattrs are dropped. A failed apply
 * leaves a partial tree: the caller (the snapshot store) discards it.
 */
public final class LayerApplier {

  /** What the target directory is. */
  public enum Mode {
    /** An empty directory that becomes a snapshot in overlayfs format. */
    OVERLAY,
    /** An existing plain directory tree the layer is merged into. */
    FLATTEN
  }

  /**
   * How to apply.
   *
   * @param mode overlay format (default) or flatten
   * @param allowDevices whether char/block device entries are created (needs CAP_MKNOD); when false
   *     such an entry fails the apply
   * @param preserveOwners whether uid/gid are restored (needs CAP_CHOWN)
   * @param expectedDiffId when present, the computed diffID must equal it
   */
  public record Options(Mode mode, boolean allowDevices, boolean preserveOwners, Optional<Digest> expectedDiffId) {
    public Options {
      if (mode == null) {
        throw new IllegalArgumentException("apply options need a mode");
      }
      expectedDiffId = expectedDiffId == null ? Optional.empty() : expectedDiffId;
    }

    /** Overlay format, no devices, owners restored, diffID not checked. */
    public static Options defaults() {
      return new Options(Mode.OVERLAY, false, true, Optional.empty());
    }

    public Options withMode(Mode m) {
      return new Options(m, allowDevices, preserveOwners, expectedDiffId);
    }

    public Options withDevices(boolean allow) {
      return new Options(mode, allow, preserveOwners, expectedDiffId);
    }

    public Options withOwners(boolean preserve) {
      return new Options(mode, allowDevices, preserve, expectedDiffId);
    }

    public Options expecting(Digest diffId) {
      return new Options(mode, allowDevices, preserveOwners, Optional.of(diffId));
    }
  }

  private LayerApplier() {}

  /**
   * Reads the layer to its end and applies it under {@code target}, which must be an existing
   * directory. The stream is not closed.
   *
   * @throws LayerFormatException for a malformed or hostile archive
   * @throws DigestMismatchException when an expected diffID was given and differs
   */
  public static LayerApplied apply(InputStream layer, Path target, Options opts) throws IOException {
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("layer target is not a directory: " + target);
    }
    InputStream notClosing = new FilterInputStream(layer) {
      @Override
      public void close() {
        // the caller owns the stream
      }
    };
    try (InputStream plain = Compression.decompress(notClosing)) {
      HashingInputStream hashed = new HashingInputStream(plain);
      TarReader reader = new TarReader(new BufferedInputStream(hashed, 64 * 1024));
      Apply apply = new Apply(target.toAbsolutePath().normalize(), opts);
      long entries = 0;
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        apply.entry(e, reader);
        entries++;
      }
      apply.finish();
      hashed.drain();
      Digest diffId = Digest.sha256(hashed.md.digest());
      if (opts.expectedDiffId().isPresent() && !opts.expectedDiffId().get().equals(diffId)) {
        throw new DigestMismatchException(opts.expectedDiffId().get(), diffId, hashed.count);
      }
      return new LayerApplied(diffId, hashed.count, entries);
    }
  }

  /** Hashes and counts what is read (the uncompressed tar: its sha256 is the diffID). */
  private static final class HashingInputStream extends FilterInputStream {
    final MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
    long count;

    HashingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }

    /** Reads to the end: bytes after the end-of-archive blocks are part of the diffID too. */
    void drain() throws IOException {
      byte[] buf = new byte[64 * 1024];
      while (read(buf, 0, buf.length) >= 0) {
        // hashing happens in read
      }
    }
  }

  private record DirMeta(Path path, int mode, long mtime) {}

  /** The state of one apply: which directories are known to be real, what this layer created. */
  private static final class Apply {
    private final Path root;
    private final Options opts;
    private final Set<String> safeDirs = new HashSet<>();
    private final Set<String> created = new HashSet<>();
    private final Map<String, DirMeta> deferred = new LinkedHashMap<>();

    Apply(Path root, Options opts) {
      this.root = root;
      this.opts = opts;
      safeDirs.add("");
    }

    void entry(TarEntry e, TarReader reader) throws IOException {
      String rel = clean(e.name(), e.name());
      try {
        apply(e, rel, reader);
      } catch (LayerFormatException | DigestMismatchException ex) {
        throw ex;
      } catch (IOException ex) {
        throw new IOException("layer entry \"" + e.name() + "\": " + ex.getMessage(), ex);
      }
    }

    private void apply(TarEntry e, String rel, TarReader reader) throws IOException {
      if (rel.isEmpty()) {
        if (e.kind() != TarEntry.Kind.DIR) {
          throw new LayerFormatException(e.name(), "only a directory may stand for the layer root");
        }
        owner(root, e);
        xattrs(root, e);
        deferred.put("", new DirMeta(root, e.mode(), e.mtime()));
        return;
      }
      int slash = rel.lastIndexOf('/');
      String parentRel = slash < 0 ? "" : rel.substring(0, slash);
      String base = rel.substring(slash + 1);
      if (base.startsWith(Whiteouts.PREFIX)) {
        whiteout(e, parentRel, base);
        return;
      }
      Path parent = directory(parentRel, e.name());
      Path p = parent.resolve(base);
      switch (e.kind()) {
        case DIR -> {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            remove(p, rel);
            Files.createDirectory(p);
          }
          safeDirs.add(rel);
          owner(p, e);
          xattrs(p, e);
          deferred.put(rel, new DirMeta(p, e.mode(), e.mtime()));
        }
        case FILE -> {
          remove(p, rel);
          try (FileChannel out = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
            copy(reader.content(), out, e.size());
          }
          finish(p, e);
        }
        case SYMLINK -> {
          if (e.linkName().isEmpty() || e.linkName().indexOf('\0') >= 0) {
            throw new LayerFormatException(e.name(), "invalid symlink target");
          }
          remove(p, rel);
          LinuxSys.symlink(e.linkName(), p);
          owner(p, e);
          xattrs(p, e);
          mtime(p, e.mtime(), true);
        }
        case HARDLINK -> {
          String targetRel = clean(e.linkName(), e.name());
          Path t = existing(targetRel, e.name());
          if (t == null) {
            throw new LayerFormatException(e.name(), "hard link target \"" + e.linkName() + "\" does not exist (yet)");
          }
          if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
            throw new LayerFormatException(e.name(), "hard link to a directory");
          }
          if (targetRel.equals(rel)) {
            return;
          }
          remove(p, rel);
          Files.createLink(p, t);
        }
        case CHAR, BLOCK -> {
          if (!opts.allowDevices()) {
            throw new LayerFormatException(e.name(), "device nodes are not allowed here (" + e.kind().name().toLowerCase()
                + " device " + e.devMajor() + ":" + e.devMinor() + ")");
          }
          remove(p, rel);
          int type = e.kind() == TarEntry.Kind.CHAR ? LinuxSys.S_IFCHR : LinuxSys.S_IFBLK;
          LinuxSys.mknod(p, type | 0600, e.devMajor(), e.devMinor());
          finish(p, e);
        }
        case FIFO -> {
          remove(p, rel);
          LinuxSys.mknod(p, LinuxSys.S_IFIFO | 0600, 0, 0);
          finish(p, e);
        }
      }
      if (opts.mode() == Mode.FLATTEN) {
        created.add(rel);
      }
    }

    private void whiteout(TarEntry e, String parentRel, String base) throws IOException {
      if (e.kind() != TarEntry.Kind.FILE && e.kind() != TarEntry.Kind.HARDLINK) {
        throw new LayerFormatException(e.name(), "whiteout entries must be regular files");
      }
      boolean overlay = opts.mode() == Mode.OVERLAY;
      if (base.equals(Whiteouts.OPAQUE_MARKER)) {
        if (overlay) {
          Whiteouts.markOpaque(directory(parentRel, e.name()));
        } else {
          Path dir = existingDir(parentRel, e.name());
          if (dir != null) {
            String prefix = parentRel.isEmpty() ? "" : parentRel + "/";
            Whiteouts.clearDirectory(dir, child -> created.contains(prefix + child.getFileName()));
            invalidate(parentRel, false);
          }
        }
        return;
      }
      String victim = base.substring(Whiteouts.PREFIX.length());
      if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
        throw new LayerFormatException(e.name(), "invalid whiteout name");
      }
      String victimRel = parentRel.isEmpty() ? victim : parentRel + "/" + victim;
      if (overlay) {
        Path p = directory(parentRel, e.name()).resolve(victim);
        remove(p, victimRel);
        Whiteouts.makeWhiteout(p);
        owner(p, e);
        mtime(p, e.mtime(), false);
      } else {
        Path dir = existingDir(parentRel, e.name());
        if (dir != null) {
          remove(dir.resolve(victim), victimRel);
          created.remove(victimRel);
        }
      }
    }

    /** The directory at {@code rel}, creating missing components (0755), refusing symlinks and non-directories. */
    private Path directory(String rel, String entry) throws IOException {
      if (safeDirs.contains(rel)) {
        return rel.isEmpty() ? root : root.resolve(rel);
      }
      Path cur = root;
      String curRel = "";
      for (String c : rel.split("/")) {
        cur = cur.resolve(c);
        curRel = curRel.isEmpty() ? c : curRel + "/" + c;
        if (safeDirs.contains(curRel)) {
          continue;
        }
        BasicFileAttributes a = lstat(cur);
        if (a == null) {
          Files.createDirectory(cur);
          Files.setAttribute(cur, "unix:mode", 0755);
          if (opts.mode() == Mode.FLATTEN) {
            created.add(curRel);
          }
        } else if (a.isSymbolicLink()) {
          throw new LayerFormatException(entry, "parent \"" + curRel + "\" is a symlink; refusing to write through it");
        } else if (!a.isDirectory()) {
          throw new LayerFormatException(entry, "parent \"" + curRel + "\" is not a directory");
        }
        safeDirs.add(curRel);
      }
      return cur;
    }

    /** The existing directory at {@code rel} (no symlink on the way), or null if it does not exist. */
    private Path existingDir(String rel, String entry) throws IOException {
      Path p = existing(rel, entry);
      if (p == null) {
        return null;
      }
      if (Files.isSymbolicLink(p)) {
        throw new LayerFormatException(entry, "\"" + rel + "\" is a symlink; refusing to look through it");
      }
      return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    /** The existing path at {@code rel} whose parents are real directories, or null; never follows a symlink. */
    private Path existing(String rel, String entry) throws IOException {
      if (rel.isEmpty()) {
        return root;
      }
      int slash = rel.lastIndexOf('/');
      String parentRel = slash < 0 ? "" : rel.substring(0, slash);
      Path cur = root;
      String curRel = "";
      if (!safeDirs.contains(parentRel) && !parentRel.isEmpty()) {
        for (String c : parentRel.split("/")) {
          cur = cur.resolve(c);
          curRel = curRel.isEmpty() ? c : curRel + "/" + c;
          if (safeDirs.contains(curRel)) {
            continue;
          }
          BasicFileAttributes a = lstat(cur);
          if (a == null) {
            return null;
          }
          if (a.isSymbolicLink()) {
            throw new LayerFormatException(entry, "path \"" + rel + "\" goes through the symlink \"" + curRel + "\"");
          }
          if (!a.isDirectory()) {
            return null;
          }
          safeDirs.add(curRel);
        }
      }
      Path p = root.resolve(rel);
      return lstat(p) == null ? null : p;
    }

    /** Unlinks whatever is at {@code p} (a whole tree for a directory), never following symlinks. */
    private void remove(Path p, String rel) throws IOException {
      BasicFileAttributes a = lstat(p);
      if (a == null) {
        return;
      }
      if (a.isDirectory()) {
        Whiteouts.deleteTree(p);
        invalidate(rel, true);
      } else {
        Files.delete(p);
      }
    }

    /**
     * Forgets what was known about the directory {@code rel}'s descendants (and, with {@code self},
     * itself) after they were deleted. Deferred directory metadata goes only with {@code self}, a
     * tree replaced by another entry; finish() skips whatever is no longer a directory anyway.
     */
    private void invalidate(String rel, boolean self) {
      String prefix = rel.isEmpty() ? "" : rel + "/";
      safeDirs.removeIf(d -> (self && d.equals(rel)) || (!d.isEmpty() && d.startsWith(prefix) && !d.equals(rel)));
      if (self) {
        deferred.keySet().removeIf(d -> d.equals(rel) || d.startsWith(prefix));
      }
      safeDirs.add("");
    }

    private void finish(Path p, TarEntry e) throws IOException {
      owner(p, e);
      // p was just created by us and is no symlink, so following links here is safe; chmod after chown,
      // which clears setuid bits; xattrs after chown, which clears security.capability
      Files.setAttribute(p, "unix:mode", e.mode());
      xattrs(p, e);
      mtime(p, e.mtime(), false);
    }

    private void owner(Path p, TarEntry e) throws IOException {
      if (opts.preserveOwners()) {
        LinuxSys.lchown(p, e.uid(), e.gid());
      }
    }

    private void xattrs(Path p, TarEntry e) throws IOException {
      for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
        if (!Whiteouts.isOverlayPrivate(x.getKey())) {
          LinuxSys.setXattr(p, x.getKey(), x.getValue());
        }
      }
    }

    private static void mtime(Path p, long seconds, boolean symlink) throws IOException {
      LinuxSys.setTimes(p, seconds, seconds);
    }

    /** Directory modes and mtimes last, deepest first, once nothing will be created inside them any more. */
    void finish() throws IOException {
      List<DirMeta> dirs = new ArrayList<>(deferred.values());
      for (int i = dirs.size() - 1; i >= 0; i--) {
        DirMeta d = dirs.get(i);
        BasicFileAttributes a = lstat(d.path());
        if (a != null && a.isDirectory()) {
          Files.setAttribute(d.path(), "unix:mode", d.mode());
          mtime(d.path(), d.mtime(), false);
        }
      }
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
      try {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      }
    }

    private static void copy(InputStream in, FileChannel out, long size) throws IOException {
      byte[] buf = new byte[(int) Math.min(Math.max(size, 1), 256 * 1024)];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      long left = size;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new LayerFormatException(null, "truncated file content");
        }
        bb.clear().limit(n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        left -= n;
      }
    }
  }

  /**
   * The clean relative form of an archive name: a leading {@code /} and {@code .} components
   * dropped, doubled slashes collapsed. Refuses {@code ..} components and NUL bytes.
   */
  static String clean(String name, String entry) {
    if (name.indexOf('\0') >= 0) {
      throw new LayerFormatException(entry.replace("\0", "\\0"), "name contains a NUL byte");
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new LayerFormatException(entry, "name has a \"..\" component");
      }
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
