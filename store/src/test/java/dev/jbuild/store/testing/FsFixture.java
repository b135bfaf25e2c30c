package dev.jbuild.store.testing;

import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A filesystem tree as data (BuildKit's fstest idea): {@code FsFixture.of(dir("etc", 0755),
 * file("etc/hosts", "x", 0644), symlink("l", "t"), whiteout("gone"), opaque("d"))} creates it under
 * a directory, and {@link #describe} prints any tree back as sorted lines (type, mode, owner,
 * content hash or link target, device numbers, xattrs, hard-link groups, mtime) so that two trees
 * compare with one {@code assertEquals}.
 *
 * <p>Paths are relative; missing parents are created 0755. Every path gets the fixed mtime
 * {@link #MTIME} unless a {@link #mtime} node says otherwise; mtimes are applied last. Owners,
 * devices, whiteouts and {@code trusted.*} xattrs need root.
 */
public final class FsFixture {
  /** The mtime every fixture path gets by default (2020-09-13). */
  public static final long MTIME = 1_600_000_000L;

  /** One thing to create. */
  public sealed interface Node {
    String path();
  }

  public record Dir(String path, int mode) implements Node {}

  public record File(String path, byte[] content, int mode) implements Node {}

  public record Symlink(String path, String target) implements Node {}

  public record Hardlink(String path, String target) implements Node {}

  public record Fifo(String path, int mode) implements Node {}

  public record Device(String path, boolean chr, int major, int minor, int mode) implements Node {}

  public record Whiteout(String path) implements Node {}

  public record Opaque(String path) implements Node {}

  public record Xattr(String path, String name, byte[] value) implements Node {}

  public record Owner(String path, long uid, long gid) implements Node {}

  public record Mtime(String path, long seconds) implements Node {}

  private final List<Node> nodes;

  private FsFixture(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public static FsFixture of(Node... nodes) {
    return new FsFixture(Arrays.asList(nodes));
  }

  public static Dir dir(String path, int mode) {
    return new Dir(path, mode);
  }

  public static File file(String path, String content, int mode) {
    return new File(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  public static File file(String path, byte[] content, int mode) {
    return new File(path, content, mode);
  }

  public static Symlink symlink(String path, String target) {
    return new Symlink(path, target);
  }

  public static Hardlink hardlink(String path, String target) {
    return new Hardlink(path, target);
  }

  public static Fifo fifo(String path, int mode) {
    return new Fifo(path, mode);
  }

  public static Device chardev(String path, int major, int minor, int mode) {
    return new Device(path, true, major, minor, mode);
  }

  public static Device blockdev(String path, int major, int minor, int mode) {
    return new Device(path, false, major, minor, mode);
  }

  public static Whiteout whiteout(String path) {
    return new Whiteout(path);
  }

  public static Opaque opaque(String path) {
    return new Opaque(path);
  }

  public static Xattr xattr(String path, String name, byte[] value) {
    return new Xattr(path, name, value);
  }

  public static Xattr xattr(String path, String name, String value) {
    return new Xattr(path, name, value.getBytes(StandardCharsets.UTF_8));
  }

  public static Owner owner(String path, long uid, long gid) {
    return new Owner(path, uid, gid);
  }

  public static Mtime mtime(String path, long seconds) {
    return new Mtime(path, seconds);
  }

  /** Creates the tree under {@code root} (which must exist). */
  public void apply(Path root) throws IOException {
    Map<String, Long> mtimes = new LinkedHashMap<>();
    Map<String, Integer> dirModes = new LinkedHashMap<>();
    for (Node n : nodes) {
      Path p = root.resolve(n.path());
      if (p.getParent() != null && !Files.exists(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(p.getParent());
      }
      switch (n) {
        case Dir d -> {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(p);
          }
          dirModes.put(d.path(), d.mode());
        }
        case File f -> {
          Files.write(p, f.content());
          Files.setAttribute(p, "unix:mode", f.mode());
        }
        case Symlink s -> LinuxSys.symlink(s.target(), p);
        case Hardlink h -> Files.createLink(p, root.resolve(h.target()));
        case Fifo f -> {
          LinuxSys.mknod(p, LinuxSys.S_IFIFO | 0600, 0, 0);
          Files.setAttribute(p, "unix:mode", f.mode());
        }
        case Device d -> {
          LinuxSys.mknod(p, (d.chr() ? LinuxSys.S_IFCHR : LinuxSys.S_IFBLK) | 0600, d.major(), d.minor());
          Files.setAttribute(p, "unix:mode", d.mode());
        }
        case Whiteout w -> LinuxSys.mknod(p, LinuxSys.S_IFCHR, 0, 0);
        case Opaque o -> {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(p);
          }
          LinuxSys.setXattr(p, "trusted.overlay.opaque", new byte[] {'y'});
        }
        case Xattr x -> LinuxSys.setXattr(p, x.name(), x.value());
        case Owner o -> {
          LinuxSys.lchown(p, o.uid(), o.gid());
          // chown clears setuid/setgid: restore what the fixture asked for
          nodes.stream().filter(m -> m.path().equals(o.path())).forEach(m -> {
            try {
              if (m instanceof File f) {
                Files.setAttribute(p, "unix:mode", f.mode());
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
        }
        case Mtime m -> mtimes.put(m.path(), m.seconds());
      }
      mtimes.putIfAbsent(n.path(), MTIME);
    }
    for (Map.Entry<String, Integer> d : dirModes.entrySet()) {
      Files.setAttribute(root.resolve(d.getKey()), "unix:mode", d.getValue());
    }
    List<String> paths = new ArrayList<>(mtimes.keySet());
    // parents' mtimes last, so creating children does not disturb them
    paths.sort((a, b) -> Integer.compare(b.length(), a.length()));
    for (String path : paths) {
      Path p = root.resolve(path);
      LinuxSys.setTimes(p, mtimes.get(path), mtimes.get(path));
    }
  }

  /** {@link #describe(Path, boolean, Predicate)} with mtimes and every xattr. */
  public static List<String> describe(Path root) throws IOException {
    return describe(root, true, x -> true);
  }

  /**
   * One line per path below {@code root} (not root itself), sorted: {@code path type mode uid:gid}
   * then content sha256, link target or device numbers, then {@code link=FIRST} for the second and
   * later names of one inode, the xattrs accepted by {@code xattrFilter} (values in hex) and the mtime.
   */
  public static List<String> describe(Path root, boolean withMtime, Predicate<String> xattrFilter) throws IOException {
    TreeMap<String, String> lines = new TreeMap<>();
    Map<String, String> firstName = new HashMap<>();
    walk(root, "", lines, firstName, withMtime, xattrFilter);
    return new ArrayList<>(lines.values());
  }

  private static void walk(Path dir, String rel, TreeMap<String, String> lines, Map<String, String> firstName,
      boolean withMtime, Predicate<String> xattrFilter) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort(null);
    for (Path p : children) {
      String name = rel.isEmpty() ? p.getFileName().toString() : rel + "/" + p.getFileName();
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,dev,nlink,lastModifiedTime",
          LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int type = mode & 0170000;
      StringBuilder sb = new StringBuilder(name).append(' ');
      sb.append(switch (type) {
        case 0100000 -> "file";
        case 0040000 -> "dir";
        case 0120000 -> "symlink";
        case 0020000 -> "char";
        case 0060000 -> "block";
        case 0010000 -> "fifo";
        default -> "other";
      });
      sb.append(' ').append(type == 0120000 ? "-" : String.format("%04o", mode & 07777));
      sb.append(' ').append(((Integer) a.get("uid")) & 0xffffffffL).append(':').append(((Integer) a.get("gid")) & 0xffffffffL);
      String inode = a.get("dev") + ":" + a.get("ino");
      if (type != 0040000 && (Integer) a.get("nlink") > 1) {
        String first = firstName.putIfAbsent(inode, name);
        if (first != null) {
          sb.append(" link=").append(first);
        }
      }
      switch (type) {
        case 0100000 -> sb.append(" sha256=").append(sha256(Files.readAllBytes(p)).substring(0, 16));
        case 0120000 -> sb.append(" -> ").append(Files.readSymbolicLink(p));
        case 0020000, 0060000 -> {
          long rdev = (Long) a.get("rdev");
          sb.append(' ').append(LinuxSys.major(rdev)).append(',').append(LinuxSys.minor(rdev));
        }
        default -> {
          // nothing more for dirs and fifos
        }
      }
      List<String> xs = new ArrayList<>(LinuxSys.listXattrs(p));
      xs.sort(null);
      for (String x : xs) {
        if (xattrFilter.test(x)) {
          byte[] v = LinuxSys.getXattr(p, x);
          sb.append(" xattr:").append(x).append('=').append(v == null ? "?" : HexFormat.of().formatHex(v));
        }
      }
      if (withMtime) {
        sb.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
      }
      lines.put(name, sb.toString());
      if (type == 0040000) {
        walk(p, name, lines, firstName, withMtime, xattrFilter);
      }
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
