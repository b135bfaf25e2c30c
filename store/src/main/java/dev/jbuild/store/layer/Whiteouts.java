package dev.jbuild.store.layer;

import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The two spellings of "deleted in this layer" and the operations on them. In an OCI layer tar a
 * deleted {@code NAME} is an empty file {@code .wh.NAME} and a directory whose lower contents are
 * hidden holds {@code .wh..wh..opq}; in overlayfs format (a snapshot, an upper dir) the first is a
 * character device 0/0 and the second the xattr {@code trusted.overlay.opaque=y} (or {@code
 * user.overlay.opaque=y} when overlay runs with {@code userxattr}).
 *
 * <p>For flattening several layers into one plain tree (export, squash) a whiteout deletes and an
 * opaque marker empties the directory of what earlier layers put there: see {@link #deleteTree}
 * and {@link #clearDirectory}, which never follow symlinks.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts">layer.md, whiteouts</a>
 */
public final class Whiteouts {
  /** Prefix of a whiteout file's name in a layer tar. */
  public static final String PREFIX = ".wh.";
  /** Name of the opaque marker file inside a directory in a layer tar. */
  public static final String OPAQUE_MARKER = ".wh..wh..opq";
  /** The overlayfs opaque-directory xattr (value {@code y}). */
  public static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  /** The same in overlay's {@code userxattr} mode. */
  public static final String USER_OPAQUE_XATTR = "user.overlay.opaque";

  private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

  private Whiteouts() {}

  /** True for overlayfs's own xattrs, which describe the overlay and never belong in a layer. */
  public static boolean isOverlayPrivate(String xattrName) {
    return xattrName.startsWith("trusted.overlay.") || xattrName.startsWith("user.overlay.");
  }

  /** True if {@code unix:mode} and {@code unix:rdev} describe an overlay whiteout (char device 0/0). */
  public static boolean isWhiteoutDevice(int mode, long rdev) {
    return (mode & 0170000) == LinuxSys.S_IFCHR && rdev == 0;
  }

  /** True if the path is a whiteout device (never following a symlink). */
  public static boolean isWhiteout(Path path) throws IOException {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      long rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
      return isWhiteoutDevice(mode, rdev);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** True if the directory carries an overlay opaque xattr with value {@code y}. */
  public static boolean isOpaque(Path dir) throws IOException {
    return Arrays.equals(YES, LinuxSys.getXattr(dir, OPAQUE_XATTR))
        || Arrays.equals(YES, LinuxSys.getXattr(dir, USER_OPAQUE_XATTR));
  }

  /** Creates an overlay whiteout (char device 0/0, mode 0) at {@code path}; needs CAP_MKNOD. */
  public static void makeWhiteout(Path path) throws IOException {
    LinuxSys.mknod(path, LinuxSys.S_IFCHR, 0, 0);
  }

  /** Marks a directory opaque for overlayfs ({@code trusted.*} needs CAP_SYS_ADMIN). */
  public static void markOpaque(Path dir) throws IOException {
    LinuxSys.setXattr(dir, OPAQUE_XATTR, YES);
  }

  /**
   * Deletes a file, a symlink (not its target) or a whole directory tree, never following
   * symlinks; a missing path is fine.
   */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    // walkFileTree does not follow links unless asked to, so a symlink inside is removed, not entered
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes every child of {@code dir} that {@code keep} does not accept (an opaque marker, flattened). */
  public static void clearDirectory(Path dir, Predicate<Path> keep) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        if (!keep.test(child)) {
          deleteTree(child);
        }
      }
    }
  }
}
