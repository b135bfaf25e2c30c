package dev.jbuild.runtime.net;

import dev.jbuild.store.sys.LinuxSys;
import dev.jbuild.store.sys.SysException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace kept alive by a bind mount of its nsfs file onto {@code <dir>/<name>}, like
 * {@code ip netns add} does under /run/netns, with {@code lo} up. The file outlives the process that made it, so a
 * later jbuild process can still run CNI DEL in it and remove it. {@link #close()} unmounts and
 * deletes the file (idempotent).
 */
public final class NetNs implements AutoCloseable {
  /** Where jbuild pins its namespaces (not /run/netns, so {@code ip netns} users don't see them). */
  public static final Path DEFAULT_DIR = Path.of("/run/jbuild/netns");

  private final Path path;
  private boolean open = true;

  private NetNs(Path path) {
    this.path = path;
  }

  /**
   * Creates a new network namespace pinned at {@code dir/name}, with its loopback interface up. No
   * process is started: a short-lived thread of this JVM unshares its own network namespace (namespaces
   * belong to threads, so the rest of the JVM stays where it is), sets {@code lo} up and bind-mounts
   * {@code /proc/thread-self/ns/net} onto the file, then ends. This replaces an {@code unshare --net=FILE}
   * run and a CNI loopback plugin run; lo needs no CNI DEL as it leaves nothing on the host.
   */
  public static NetNs create(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.createFile(file);
    IOException[] failure = new IOException[1];
    Thread t = Thread.ofPlatform().name("jbuild-netns").unstarted(() -> {
      try {
        LinuxSys.unshare(LinuxSys.CLONE_NEWNET);
        LinuxSys.interfaceUp("lo");
        LinuxSys.mount("/proc/thread-self/ns/net", file, null, LinuxSys.MS_BIND, null);
      } catch (IOException e) {
        failure[0] = e;
      } catch (RuntimeException e) {
        failure[0] = new IOException(e);
      }
    });
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join(); // the mount is the last step: once the thread is gone the outcome is known
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] != null) {
      Files.deleteIfExists(file);
      throw new IOException("creating network namespace " + file + ": " + failure[0].getMessage(), failure[0]);
    }
    return new NetNs(file);
  }

  /**
   * Whether {@code path} is a namespace file: a pinned namespace or a {@code /proc/PID/ns/net}, not a
   * plain or a missing file. All namespace files live on the one nsfs pseudo-filesystem, so its device
   * is that of this process's own {@code /proc/self/ns/net}.
   */
  public static boolean isNamespace(Path path) {
    try {
      return Files.getAttribute(path, "unix:dev").equals(Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:dev"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** A namespace pinned by an earlier process (from a ledger), so that close() removes it. */
  public static NetNs adopt(Path file) {
    return new NetNs(file);
  }

  public Path path() {
    return path;
  }

  /** Unmounts and deletes the pinned file; a second call or an already removed file does nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    remove(path);
    open = false;
  }

  /** Removes a pinned namespace file: lazy unmount (it may still be in use), then delete. */
  public static void remove(Path file) throws IOException {
    try {
      LinuxSys.umount(file, LinuxSys.MNT_DETACH);
    } catch (SysException e) {
      if (e.errno() != LinuxSys.EINVAL && e.errno() != LinuxSys.ENOENT) {
        throw e;
      }
    }
    Files.deleteIfExists(file);
  }
}
