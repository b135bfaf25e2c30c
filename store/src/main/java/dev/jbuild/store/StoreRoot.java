package dev.jbuild.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The root directory of a store and the layout beneath it: {@code oci/} (an OCI image layout),
 * {@code snapshots/}, {@code cache/}, {@code containers/}, {@code tmp/} (same filesystem, so temp
 * files can be renamed into place) and the lock file {@code lock}.
 *
 * <p>Where the root is: an explicit path (a {@code --root} option), else {@code $JBUILD_ROOT}, else
 * {@code /var/lib/jbuild} when running as root, else {@code $XDG_DATA_HOME/jbuild}, which is {@code
 * ~/.local/share/jbuild} unless {@code XDG_DATA_HOME} says otherwise.
 */
public record StoreRoot(Path path) {
  public static final Path SYSTEM_DEFAULT = Path.of("/var/lib/jbuild");

  public StoreRoot {
    if (path == null) {
      throw new IllegalArgumentException("[internal error] store root needs a path");
    }
    path = path.toAbsolutePath().normalize();
  }

  public static StoreRoot of(Path path) {
    return new StoreRoot(path);
  }

  /**
   * Resolves the root from its sources, in order of precedence.
   *
   * @param explicit a path given on the command line, or null
   * @param env the environment ({@code JBUILD_ROOT}, {@code XDG_DATA_HOME})
   * @param root whether the process runs as root (euid 0)
   * @param home the user's home directory
   */
  public static StoreRoot resolve(Path explicit, Map<String, String> env, boolean root, Path home) {
    if (explicit != null) {
      return new StoreRoot(explicit);
    }
    String fromEnv = env.get("JBUILD_ROOT");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new StoreRoot(Path.of(fromEnv));
    }
    if (root) {
      return new StoreRoot(SYSTEM_DEFAULT);
    }
    String xdg = env.get("XDG_DATA_HOME");
    // the XDG base directory spec says relative values are invalid and must be ignored
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return new StoreRoot(Path.of(xdg, "jbuild"));
    }
    return new StoreRoot(home.resolve(".local/share/jbuild"));
  }

  /** Resolves the root for this process: its environment, effective uid and home directory. */
  public static StoreRoot resolve(Path explicit) {
    return resolve(explicit, System.getenv(), isEffectiveRoot(), Path.of(System.getProperty("user.home")));
  }

  /** Whether this process runs with euid 0 (read from {@code /proc/self/status}). */
  public static boolean isEffectiveRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Creates the root and its directories if absent. */
  public StoreRoot create() throws IOException {
    for (Path p : List.of(oci(), snapshots(), cache(), containers(), tmp())) {
      Files.createDirectories(p);
    }
    return this;
  }

  /** The OCI image layout: {@code oci-layout}, {@code index.json}, {@code blobs/}. */
  public Path oci() {
    return path.resolve("oci");
  }

  public Path blobs() {
    return oci().resolve("blobs");
  }

  public Path snapshots() {
    return path.resolve("snapshots");
  }

  public Path cache() {
    return path.resolve("cache");
  }

  public Path containers() {
    return path.resolve("containers");
  }

  /** Ingest and scratch space, on the same filesystem as everything else. */
  public Path tmp() {
    return path.resolve("tmp");
  }

  /** The file behind {@link dev.jbuild.store.lock.StoreLock}. */
  public Path lockFile() {
    return path.resolve("lock");
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
