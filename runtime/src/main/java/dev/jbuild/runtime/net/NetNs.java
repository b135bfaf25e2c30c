package dev.jbuild.runtime.net;

import dev.jbuild.store.sys.LinuxSys;
import dev.jbuild.store.sys.SysException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace kept alive by a bind mount of its nsfs file onto {@code <dir>/<name>}, like
 * {@code ip netns add} does under /run/netns. The file outlives the process that made it, so a
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
   * Creates a new network namespace pinned at {@code dir/name}, with util-linux {@code unshare
   * --net=FILE}, which unshares in a short-lived child and bind-mounts its namespace onto the file.
   */
  public static NetNs create(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.createFile(file);
    try {
      Process p = new ProcessBuilder("unshare", "--net=" + file, "true")
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException("creating network namespace " + file + ": unshare exited with " + rc + ": " + out);
      }
    } catch (IOException | InterruptedException e) {
      Files.deleteIfExists(file);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted creating network namespace " + file);
      }
      throw (IOException) e;
    }
    return new NetNs(file);
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
