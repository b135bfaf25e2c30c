package dev.jbuild.store.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.gc.GarbageCollector;
import dev.jbuild.store.testing.StoreProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a blob leaves no blob, only a temp file the collector removes. */
class CrashSafetyIT {
  @Test
  void killedWriterLeavesNoPartialBlob(@TempDir Path tmp) throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Process p = StoreProcesses.start(SlowWriterMain.class, tmp.resolve("writer.err"), store.root().toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("writing", out.readLine(), () -> "writer failed: " + read(tmp.resolve("writer.err")));
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertEquals(List.of(), list(store.root().blobs().resolve("sha256")), "a blob became visible");
    byte[] firstMiB = new byte[1 << 20];
    new Random(1).nextBytes(firstMiB);
    assertFalse(store.blobs().has(Digest.of(firstMiB)));
    List<Path> temps = list(store.root().tmp());
    assertEquals(1, temps.size());
    assertTrue(Files.size(temps.get(0)) >= 1 << 20);
    // an hour later the collector knows the writer is gone
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(61)), ZoneOffset.UTC);
    GarbageCollector gc = new GarbageCollector(store.root(), store.blobs(), store.layout(), store.lock(), later);
    GarbageCollector.Result r = gc.collect(Set.of());
    assertEquals(1, r.tempFilesRemoved());
    assertEquals(List.of(), list(store.root().tmp()));
  }

  private static List<Path> list(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
