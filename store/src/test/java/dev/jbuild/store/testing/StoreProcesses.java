package dev.jbuild.store.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test main class in a fresh JVM with this JVM's java binary and classpath, for tests that
 * need several processes on one store (file locks only exclude other processes).
 */
public final class StoreProcesses {
  private StoreProcesses() {}

  /** Starts {@code main} with arguments; stderr goes to {@code stderrLog}, stdout is piped back. */
  public static Process start(Class<?> main, Path stderrLog, String... args) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Xmx128m", main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(stderrLog.toFile()).start();
  }
}
