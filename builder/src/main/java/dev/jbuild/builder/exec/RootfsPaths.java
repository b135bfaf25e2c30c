package dev.jbuild.builder.exec;

import dev.jbuild.runtime.spec.ScopedPath;
import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths inside a mounted rootfs, resolved as the container would see them (symlinks followed relative to the
 * rootfs, {@code ..} stopping at its root). The rootfs does not change while a step writes into it (no process
 * runs in it then), so resolving first and acting after is safe.
 */
public final class RootfsPaths {
  private RootfsPaths() {}

  /** The host path of {@code inside} (absolute in the image), every symlink on the way resolved within root. */
  public static Path resolve(Path root, String inside) throws IOException {
    return ScopedPath.resolve(root, inside);
  }

  /**
   * The host path of {@code inside} with its parent resolved within root but the last component not followed
   * (for writing a file or symlink in place of whatever is there).
   */
  public static Path resolveParent(Path root, String inside) throws IOException {
    String clean = clean(inside);
    if (clean.equals("/")) {
      return root;
    }
    int slash = clean.lastIndexOf('/');
    Path parent = ScopedPath.resolve(root, clean.substring(0, Math.max(slash, 1)));
    return parent.resolve(clean.substring(slash + 1));
  }

  /**
   * Creates {@code inside} and its missing parents as directories (mode 0755, owned by uid:gid), each component
   * resolved within root; returns the host path. Existing directories (or symlinks to them) are kept as they are.
   */
  public static Path mkdirs(Path root, String inside, long uid, long gid) throws IOException {
    String clean = clean(inside);
    String prefix = "";
    Path p = root;
    for (String part : clean.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      prefix = prefix + "/" + part;
      p = ScopedPath.resolve(root, prefix);
      if (!Files.isDirectory(p)) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("cannot create directory " + prefix + ": a file is in the way");
        }
        try {
          // a symlink may point at a path whose parents are missing: the components left unresolved do
          // not exist, so none of them is a symlink and creating them stays inside the rootfs
          Files.createDirectories(p.getParent());
          Files.createDirectory(p);
        } catch (FileAlreadyExistsException e) {
          continue;
        }
        Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
        if (uid != 0 || gid != 0) {
          LinuxSys.lchown(p, uid, gid);
        }
      }
    }
    return p;
  }

  /** {@code inside} made absolute and cleaned of {@code .}, empty and trailing components ({@code ..} kept). */
  public static String clean(String inside) {
    List<String> parts = new ArrayList<>();
    for (String s : inside.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        parts.add(s);
      }
    }
    return "/" + String.join("/", parts);
  }
}
