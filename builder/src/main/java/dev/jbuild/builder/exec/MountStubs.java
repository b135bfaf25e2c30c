package dev.jbuild.builder.exec;

import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stub lower layer of a RUN step: the mount points runc needs (/proc, /dev, /sys, /etc/hosts,
 * /etc/resolv.conf, /etc/hostname, the targets of RUN --mount) that the image lacks, as empty files and
 * directories. runc would otherwise create them in the upper dir and every RUN would leave them in its
 * layer. A parent directory the image has gets the image's mode, owner and mtime in the stub, so that a
 * copy-up through the stub records the image's attributes.
 */
public record MountStubs(List<Target> targets) implements StepRootfs.StubLayer {
  /** A mount point: an absolute path inside the image and whether it is a directory. */
  public record Target(String path, boolean directory) {}

  public MountStubs {
    targets = List.copyOf(targets);
  }

  @Override
  public void fill(Path stubDir, List<Path> lowers) throws IOException {
    for (Target t : targets) {
      String clean = RootfsPaths.clean(t.path());
      if (clean.equals("/") || lookup(lowers, clean) != Lookup.MISSING) {
        continue;
      }
      String[] parts = clean.substring(1).split("/");
      Path p = stubDir;
      String prefix = "";
      for (int i = 0; i < parts.length; i++) {
        prefix = prefix + "/" + parts[i];
        p = p.resolve(parts[i]);
        boolean last = i == parts.length - 1;
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (last && !t.directory()) {
          Files.createFile(p);
          Files.setAttribute(p, "unix:mode", 0644);
          continue;
        }
        Files.createDirectory(p);
        Files.setAttribute(p, "unix:mode", 0755);
        if (!last) {
          Optional<Path> img = topmost(lowers, prefix);
          if (img.isPresent()) {
            Map<String, Object> a = Files.readAttributes(img.get(), "unix:mode,uid,gid,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:mode", ((Integer) a.get("mode")) & 07777);
            LinuxSys.lchown(p, (Integer) a.get("uid"), (Integer) a.get("gid"));
            Files.setLastModifiedTime(p, (FileTime) a.get("lastModifiedTime"));
          }
        }
      }
    }
    // directory mtimes changed while children were added: set them again, deepest first
    for (Target t : targets) {
      String clean = RootfsPaths.clean(t.path());
      String[] parts = clean.substring(1).split("/");
      for (int n = parts.length - 1; n >= 1; n--) {
        String prefix = "/" + String.join("/", List.of(parts).subList(0, n));
        Path stub = stubDir.resolve(prefix.substring(1));
        Optional<Path> img = topmost(lowers, prefix);
        if (img.isPresent() && Files.isDirectory(stub, LinkOption.NOFOLLOW_LINKS)) {
          Files.setLastModifiedTime(stub, Files.getLastModifiedTime(img.get(), LinkOption.NOFOLLOW_LINKS));
        }
      }
    }
  }

  private enum Lookup { PRESENT, MISSING, UNKNOWN }

  /** Whether {@code path} exists in the union of lowers (top first; whiteouts and opaque dirs honoured). */
  static Lookup lookup(List<Path> lowers, String path) throws IOException {
    String[] parts = path.substring(1).split("/");
    for (int l = lowers.size() - 1; l >= 0; l--) {
      Path p = lowers.get(l);
      boolean opaqueAbove = false;
      boolean absent = false;
      for (int i = 0; i < parts.length; i++) {
        p = p.resolve(parts[i]);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          absent = true;
          break;
        }
        if (Whiteouts.isWhiteout(p)) {
          return Lookup.MISSING;
        }
        if (Files.isSymbolicLink(p)) {
          // resolving links across layers is the runtime's business; leave such paths alone
          return Lookup.UNKNOWN;
        }
        if (i == parts.length - 1) {
          return Lookup.PRESENT;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          return Lookup.UNKNOWN;
        }
        if (Whiteouts.isOpaque(p)) {
          opaqueAbove = true;
        }
      }
      if (absent && opaqueAbove) {
        return Lookup.MISSING;
      }
    }
    return Lookup.MISSING;
  }

  /** The directory {@code path} in the topmost lower that has it as a plain directory. */
  private static Optional<Path> topmost(List<Path> lowers, String path) throws IOException {
    for (int l = lowers.size() - 1; l >= 0; l--) {
      Path p = lowers.get(l).resolve(path.substring(1));
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(p);
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
