package dev.jbuild.builder.exec;

import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folds a stack of snapshots (overlay-format diffs, bottom first) into one diff against what is below them,
 * as {@code --squash} needs: a later whiteout replaces whatever the earlier diffs put at its path (and keeps
 * hiding the base), a later opaque directory replaces the earlier directory's content, and everything else is
 * laid on top. Files are hard-linked from the snapshots, never copied or changed (so the hard links between
 * names of one layer survive into the layer writer); directories are new, with the attributes of the topmost
 * diff that has them.
 */
public final class SnapshotMerge {
  private SnapshotMerge() {}

  /** Merges {@code snapshots} (bottom first) into the empty directory {@code target}. */
  public static void merge(List<Path> snapshots, Path target) throws IOException {
    for (Path s : snapshots) {
      apply(s, target);
    }
  }

  private static void apply(Path srcDir, Path dstDir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(srcDir)) {
      ds.forEach(children::add);
    }
    for (Path src : children) {
      Path dst = dstDir.resolve(src.getFileName().toString());
      boolean srcDirectory = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS);
      boolean exists = Files.exists(dst, LinkOption.NOFOLLOW_LINKS);
      if (srcDirectory) {
        boolean opaque = Whiteouts.isOpaque(src);
        if (exists && (opaque || !Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS))) {
          Whiteouts.deleteTree(dst);
          exists = false;
        }
        if (!exists) {
          Files.createDirectory(dst);
        }
        apply(src, dst);
        copyDirAttributes(src, dst, opaque);
      } else {
        if (exists) {
          Whiteouts.deleteTree(dst);
        }
        // whiteouts, files, symlinks, devices: the snapshot's inode itself
        Files.createLink(dst, src);
      }
    }
  }

  private static void copyDirAttributes(Path src, Path dst, boolean opaque) throws IOException {
    Map<String, Object> a = Files.readAttributes(src, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    LinuxSys.lchown(dst, (Integer) a.get("uid") & 0xffffffffL, (Integer) a.get("gid") & 0xffffffffL);
    Files.setAttribute(dst, "unix:mode", ((Integer) a.get("mode")) & 07777, LinkOption.NOFOLLOW_LINKS);
    for (String x : LinuxSys.listXattrs(src)) {
      if (!Whiteouts.isOverlayPrivate(x) || x.equals(Whiteouts.OPAQUE_XATTR)) {
        byte[] v = LinuxSys.getXattr(src, x);
        if (v != null) {
          LinuxSys.setXattr(dst, x, v);
        }
      }
    }
    if (opaque && LinuxSys.getXattr(dst, Whiteouts.OPAQUE_XATTR) == null) {
      Whiteouts.markOpaque(dst);
    }
    Files.setLastModifiedTime(dst, (FileTime) a.get("lastModifiedTime"));
  }
}
