package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's AOT training workload walks its whole path without an error and leaves nothing behind. */
class AotTrainCommandTest {
  @Test
  void walksTheStartUpPathCleanly(@TempDir Path dir) throws Exception {
    Cli.Result r = new Cli(dir.resolve("root")).withEnv("TMPDIR", dir.toString()).run("aot-train");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("", r.err(), r.toString());
    try (var s = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("jbuild-aot-"))
          .filter(p -> p.toFile().lastModified() > System.currentTimeMillis() - 60_000).count());
    }
  }
}
