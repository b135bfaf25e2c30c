package dev.jbuild.store.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyWritebackTest {
  @TempDir Path dir;

  @Test
  void writesBackEveryStepAndKeepsTheBytes() throws Exception {
    Path f = dir.resolve("blob");
    byte[] chunk = new byte[1 << 20];
    new Random(7).nextBytes(chunk);
    int chunks = (int) (2 * EarlyWriteback.STEP / chunk.length) + 3;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      EarlyWriteback w = new EarlyWriteback(Channels.newOutputStream(ch), ch);
      for (int i = 0; i < chunks; i++) {
        w.write(chunk, 0, chunk.length);
      }
      w.settle();
      // a writeback starts at each step unless the previous one still runs
      assertEquals(true, w.kicks() >= 1 && w.kicks() <= 2, "kicks: " + w.kicks());
      w.close();
    }
    assertEquals((long) chunks * chunk.length, Files.size(f));
    byte[] last = new byte[chunk.length];
    try (FileChannel ch = FileChannel.open(f)) {
      ch.read(java.nio.ByteBuffer.wrap(last), (long) (chunks - 1) * chunk.length);
    }
    assertArrayEquals(chunk, last);
  }

  @Test
  void smallBlobsStartNoWriteback() throws Exception {
    Path f = dir.resolve("small");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      EarlyWriteback w = new EarlyWriteback(Channels.newOutputStream(ch), ch);
      w.write(new byte[4096], 0, 4096);
      assertEquals(0, w.kicks());
      w.close();
    }
  }
}
