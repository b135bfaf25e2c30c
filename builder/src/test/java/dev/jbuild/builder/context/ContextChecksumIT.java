package dev.jbuild.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ownership is part of the checksum; changing it needs root. */
@RequiresRoot
class ContextChecksumIT {
  @TempDir Path dir;

  private Digest sum() throws IOException {
    return new ContextChecksum(BuildContext.of(dir, IgnoreRules.none()), ChecksumMemo.inMemory()).checksum(".");
  }

  @Test
  void uidAndGidChangeTheChecksum() throws IOException {
    Path f = dir.resolve("f");
    Files.writeString(f, "x");
    Files.setAttribute(f, "unix:uid", 0);
    Files.setAttribute(f, "unix:gid", 0);
    Digest root = sum();
    Files.setAttribute(f, "unix:uid", 1234);
    Digest uid = sum();
    assertNotEquals(root, uid);
    Files.setAttribute(f, "unix:gid", 4321);
    Digest gid = sum();
    assertNotEquals(uid, gid);
    Files.setAttribute(f, "unix:uid", 0);
    Files.setAttribute(f, "unix:gid", 0);
    assertEquals(root, sum());
  }

  @Test
  void fifoIsRecordedWithoutReading() throws Exception {
    Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    // Reading a fifo would block forever: only its metadata may count.
    Digest withFifo = sum();
    Files.delete(dir.resolve("pipe"));
    assertNotEquals(withFifo, sum());
    assertEquals(List.of(), BuildContext.of(dir, IgnoreRules.none()).walk());
  }
}
