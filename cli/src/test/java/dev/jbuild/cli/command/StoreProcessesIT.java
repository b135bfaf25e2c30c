package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.JbuildProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several real jbuild processes on one store, and jbuild processes killed with SIGKILL. */
class StoreProcessesIT {
  @TempDir Path tmp;

  static Path randomTar(Path file, int files, int bytesPerFile, long seed) throws IOException {
    Random rnd = new Random(seed);
    try (OutputStream os = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      for (int i = 0; i < files; i++) {
        byte[] b = new byte[bytesPerFile];
        rnd.nextBytes(b);
        TarArchiveEntry e = new TarArchiveEntry("data/f" + i);
        e.setMode(0100644);
        e.setSize(b.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  @Test
  void fourProcessesImportTagAndPruneOnOneStore() throws Exception {
    Path root = tmp.resolve("root");
    List<Path> tars = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tars.add(randomTar(tmp.resolve("r" + i + ".tar"), 8, 64 * 1024, i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<String>>> jobs = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int worker = w;
      jobs.add(pool.submit(() -> {
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          String name = "w" + worker + "/img:" + round;
          check(failures, JbuildProcess.run(root, "import", tars.get(worker).toString(), name), "import " + name);
          check(failures, JbuildProcess.run(root, "tag", name, "w" + worker + "/alias:" + round), "tag " + name);
          check(failures, JbuildProcess.run(root, "prune"), "prune");
        }
        return failures;
      }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));
    for (Future<List<String>> f : jobs) {
      assertEquals(List.of(), f.get());
    }
    JbuildProcess.Result verify = JbuildProcess.run(root, "verify");
    assertEquals(0, verify.exitCode(), verify.err());
    JbuildProcess.Result images = JbuildProcess.run(root, "images", "--format", "json");
    assertEquals(0, images.exitCode(), images.err());
    com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(images.out());
    java.util.Set<String> names = new java.util.HashSet<>();
    list.forEach(n -> names.add(n.get("Repository").asText() + ":" + n.get("Tag").asText()));
    for (int w = 0; w < 4; w++) {
      for (int round = 0; round < 3; round++) {
        assertTrue(names.contains("w" + w + "/img:" + round), names.toString());
        assertTrue(names.contains("w" + w + "/alias:" + round), names.toString());
      }
    }
  }

  private static void check(List<String> failures, JbuildProcess.Result r, String what) {
    if (r.exitCode() != 0) {
      failures.add(what + ": exit " + r.exitCode() + ": " + r.err());
    }
  }

  @Test
  void killedImportsLeaveAVerifiableStore() throws Exception {
    Path root = tmp.resolve("root");
    Path big = randomTar(tmp.resolve("big.tar"), 64, 1 << 20, 42);
    assertEquals(0, JbuildProcess.run(root, "import", big.toString(), "keep:1").exitCode());
    for (long delayMs : new long[] {150, 400, 700, 1000, 1500}) {
      Process p = JbuildProcess.builder(root, "import", big.toString(), "victim:" + delayMs)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      Thread.sleep(delayMs);
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
      JbuildProcess.Result verify = JbuildProcess.run(root, "verify");
      assertEquals(0, verify.exitCode(), "after a kill at " + delayMs + " ms: " + verify.err());
      JbuildProcess.Result keep = JbuildProcess.run(root, "inspect", "keep:1");
      assertEquals(0, keep.exitCode(), keep.err());
    }
  }
}
