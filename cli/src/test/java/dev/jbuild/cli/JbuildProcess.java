package dev.jbuild.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jbuild jar run as its own process (for concurrency and crash tests). */
public final class JbuildProcess {
  private JbuildProcess() {}

  public static Path jar() {
    Path dir = Path.of(System.getProperty("jbuild.projectDir", Path.of("").toAbsolutePath().getParent().toString()));
    Path jar = dir.resolve("cli/target/jbuild.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + " (integration tests run after mvn package)");
    }
    return jar;
  }

  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  public static ProcessBuilder builder(Path root, String... args) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JBUILD_ROOT", root.toString());
    return pb;
  }

  public record Result(int exitCode, String out, String err) {}

  public static Result run(Path root, String... args) throws IOException, InterruptedException {
    return run(root, Map.of(), args);
  }

  public static Result run(Path root, Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = builder(root, args);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("jb-out", ".txt");
    Path err = Files.createTempFile("jb-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("jbuild " + String.join(" ", args) + " did not finish in 5 minutes");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
