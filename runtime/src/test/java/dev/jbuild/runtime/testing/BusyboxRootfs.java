package dev.jbuild.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A busybox root filesystem for integration tests, made with the project's {@code
 * scripts/busybox-rootfs} and extracted with tar into a directory (used as a single lower layer).
 */
public final class BusyboxRootfs {
  private BusyboxRootfs() {}

  /** Builds the tarball and extracts it into {@code parent/busybox}; returns that directory. */
  public static Path create(Path parent) throws IOException, InterruptedException {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path tar = parent.resolve("busybox.tar");
    exec(project.resolve("scripts/busybox-rootfs").toString(), tar.toString());
    Path dir = Files.createDirectories(parent.resolve("busybox"));
    exec("tar", "-xf", tar.toString(), "-C", dir.toString());
    Files.delete(tar);
    return dir;
  }

  static void exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** A fresh temp dir whose name the {@link LeakCheck} watches for mounts. */
  public static Path tempDir() throws IOException {
    return Files.createTempDirectory("jbuild-rt-");
  }
}
