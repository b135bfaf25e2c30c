package dev.jbuild.builder.exec;

import dev.jbuild.builder.context.Glob;
import dev.jbuild.builder.context.IgnoreRules;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sources of a {@code COPY --from} in another image's rootfs: glob patterns expanded (each component
 * resolved within that rootfs), and a checksum of what a source copies (names, types, modes, owners, symlink
 * targets and file contents; not mtimes), so the step's cache key follows the copied files rather than every
 * change of the source stage.
 */
public final class RootfsSources {
  private static final String STAT = "unix:mode,uid,gid";

  private RootfsSources() {}

  /** The paths (absolute in the image, sorted) matching {@code pattern}; a literal path is returned as is. */
  public static List<String> glob(Path root, String pattern) throws IOException {
    String clean = RootfsPaths.clean(pattern);
    if (Glob.isLiteral(clean)) {
      return List.of(clean);
    }
    List<String> current = List.of("");
    for (String seg : clean.substring(1).split("/")) {
      List<String> next = new ArrayList<>();
      if (Glob.isLiteral(seg)) {
        for (String dir : current) {
          next.add(dir + "/" + seg);
        }
      } else {
        Glob g = Glob.compile(seg);
        for (String dir : current) {
          Path host = RootfsPaths.resolve(root, dir.isEmpty() ? "/" : dir);
          if (!Files.isDirectory(host)) {
            continue;
          }
          List<String> names = new ArrayList<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(host)) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
          }
          names.sort(String::compareTo);
          for (String n : names) {
            if (g.matches(n)) {
              next.add(dir + "/" + n);
            }
          }
        }
      }
      current = next;
    }
    List<String> out = new ArrayList<>();
    for (String p : current) {
      if (Files.exists(RootfsPaths.resolve(root, p), LinkOption.NOFOLLOW_LINKS)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The checksum of what copying {@code inside} takes: the file, or the directory's tree without the entries
   * {@code exclude} matches. Fails naming the path when it does not exist.
   */
  public static Digest checksum(Path root, String inside, IgnoreRules exclude) throws IOException {
    Path host = RootfsPaths.resolve(root, inside);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new JbuildException(inside, "no such file or directory in the source image", null);
    }
    DigestingOutputStream out = new DigestingOutputStream(OutputStream.nullOutputStream());
    if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      entry(out, host, "");
      tree(out, host, "", exclude);
    } else {
      entry(out, host, host.getFileName().toString());
    }
    out.close();
    return out.digest();
  }

  private static void tree(DigestingOutputStream out, Path dir, String rel, IgnoreRules exclude) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path c : children) {
      String r = rel.isEmpty() ? c.getFileName().toString() : rel + "/" + c.getFileName();
      if (!exclude.patterns().isEmpty() && exclude.matchesOrParentMatches(r)) {
        continue;
      }
      entry(out, c, r);
      if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
        tree(out, c, r, exclude);
      }
    }
  }

  private static void entry(DigestingOutputStream out, Path p, String rel) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, STAT, LinkOption.NOFOLLOW_LINKS);
    String type = Files.isSymbolicLink(p) ? "l " + Files.readSymbolicLink(p)
        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "f" : "o";
    String head = rel + "\0" + type + "\0" + Integer.toOctalString((Integer) a.get("mode")) + "\0" + a.get("uid") + ":"
        + a.get("gid") + "\0";
    out.write(head.getBytes(StandardCharsets.UTF_8));
    if (type.equals("f")) {
      DigestingOutputStream content = new DigestingOutputStream(OutputStream.nullOutputStream());
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        in.transferTo(content);
      }
      content.close();
      out.write((content.digest() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
