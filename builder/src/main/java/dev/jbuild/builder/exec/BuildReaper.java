package dev.jbuild.builder.exec;

import dev.jbuild.runtime.container.Reaper;
import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniInvoker;
import dev.jbuild.runtime.net.NetNs;
import dev.jbuild.runtime.oci.OciRuntime;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.store.layer.Whiteouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cleans up after builds that died without releasing what they held (SIGKILL, a crash, power loss while the
 * store survived). A build marks each scratch dir it makes under the store's {@code tmp/} with an {@code owner}
 * file (pid and process start time) and a {@code runc-id} file once a RUN starts in it, and names its network
 * namespace {@code jbuild-build-<pid>-<start>-<random>}. {@link #sweep}, run at the start of every build, finds
 * the ones whose owner is gone and releases them: kills and deletes the runc container, unmounts the overlay,
 * deletes the dir, and undoes the CNI attachments and the pinned namespace. Live builds are left alone.
 */
public final class BuildReaper {
  static final String OWNER = "owner";
  static final String RUNC_ID = "runc-id";
  /** Prefix of the network namespaces builds create. */
  public static final String NETNS_PREFIX = "jbuild-build-";

  private BuildReaper() {}

  /** This process as an owner: {@code <pid> <start-millis>}. */
  static String self() {
    long pid = ProcessHandle.current().pid();
    return pid + " " + Objects.requireNonNullElse(Reaper.startOf(pid), 0L);
  }

  /** Marks a scratch dir as this process's (before anything is mounted in it). */
  public static void markOwner(Path dir) throws IOException {
    Files.writeString(dir.resolve(OWNER), self(), StandardCharsets.UTF_8);
  }

  /** The name of a new build network namespace owned by this process. */
  public static String netnsName(String random) {
    return NETNS_PREFIX + self().replace(' ', '-') + "-" + random;
  }

  private static boolean alive(long pid, long start) {
    Long now = Reaper.startOf(pid);
    return now != null && (start == 0 || now == start);
  }

  private static Optional<long[]> owner(String text) {
    String[] f = text.strip().split("[ -]");
    if (f.length < 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Releases what dead builds left in {@code tmp} and {@code netnsDir}; failures are left for the next sweep. */
  public static void sweep(Path tmp, OciRuntime runc, CniInvoker cni, BridgeNetwork bridge, Path netnsDir) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path dir : ds) {
        Path ownerFile = dir.resolve(OWNER);
        if (!Files.isRegularFile(ownerFile)) {
          continue;
        }
        Optional<long[]> o = owner(Files.readString(ownerFile));
        if (o.isEmpty() || alive(o.get()[0], o.get()[1])) {
          continue;
        }
        releaseDir(dir, runc);
      }
    } catch (IOException | RuntimeException e) {
      // the store's tmp/ is swept again by the next build
    }
    if (!Files.isDirectory(netnsDir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(netnsDir, NETNS_PREFIX + "*")) {
      for (Path ns : ds) {
        String name = ns.getFileName().toString();
        Optional<long[]> o = owner(name.substring(NETNS_PREFIX.length()));
        if (o.isEmpty() || alive(o.get()[0], o.get()[1])) {
          continue;
        }
        try {
          BridgeNetwork.detach(cni, bridge.plan(name, ns, List.of()));
        } catch (IOException | RuntimeException e) {
          // CNI DEL is idempotent; the namespace goes anyway
        }
        NetNs.remove(ns);
      }
    } catch (IOException | RuntimeException e) {
      // left for the next build
    }
  }

  private static void releaseDir(Path dir, OciRuntime runc) throws IOException {
    Path idFile = dir.resolve(RUNC_ID);
    if (Files.isRegularFile(idFile)) {
      String id = Files.readString(idFile).strip();
      try {
        runc.kill(id, "SIGKILL", true);
      } catch (IOException | RuntimeException e) {
        // not running
      }
      for (int i = 0; i < 50; i++) {
        try {
          runc.delete(id, true);
          break;
        } catch (IOException | RuntimeException e) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    Path rootfs = dir.resolve("rootfs");
    if (Files.isDirectory(rootfs)) {
      OverlayMount.unmount(rootfs);
    }
    Whiteouts.deleteTree(dir);
  }
}
