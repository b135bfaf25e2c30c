package dev.jbuild.store.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Digest and count of the in-line and the offloading stream, whatever the sizes of the writes. */
class DigestingOutputStreamTest {
  private static Digest expected(byte[] b) throws Exception {
    return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code content} in pieces of pseudo-random sizes (single bytes among them). */
  private static void writeInPieces(DigestingOutputStream out, byte[] content, long seed) throws IOException {
    Random r = new Random(seed);
    int off = 0;
    while (off < content.length) {
      int kind = r.nextInt(4);
      if (kind == 0) {
        out.write(content[off++]);
        continue;
      }
      int max = kind == 1 ? 100 : kind == 2 ? 70_000 : 3_000_000;
      int n = Math.min(content.length - off, 1 + r.nextInt(max));
      out.write(content, off, n);
      off += n;
    }
  }

  @Test
  void offloadingAndInLineStreamsAgreeWithMessageDigest() throws Exception {
    int offload = (int) DigestingOutputStream.OFFLOAD_AFTER;
    for (int size : new int[] {0, 1, 4096, offload - 1, offload, offload + 1, offload + (1 << 20), 3 * offload + 12_345, 40 << 20}) {
      byte[] content = random(size, size);
      for (boolean offloading : new boolean[] {false, true}) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DigestingOutputStream out = offloading ? DigestingOutputStream.offloading(sink) : new DigestingOutputStream(sink);
        writeInPieces(out, content, size * 31L + (offloading ? 1 : 0));
        assertEquals(size, out.count(), "count of " + size);
        assertEquals(expected(content), out.digest(), "digest of " + size + " bytes, offloading " + offloading);
        assertArrayEquals(content, sink.toByteArray(), "bytes passed on, " + size);
      }
    }
  }

  @Test
  void oneLargeWriteCrossingTheThreshold() throws Exception {
    byte[] content = random(9 << 20, 7);
    DigestingOutputStream out = DigestingOutputStream.offloading(java.io.OutputStream.nullOutputStream());
    out.write(content, 0, 100);
    out.write(content, 100, content.length - 100);
    assertEquals(expected(content), out.digest());
  }

  @Test
  void abandonedHasherThreadsEnd() throws Exception {
    for (int i = 0; i < 20; i++) {
      DigestingOutputStream out = DigestingOutputStream.offloading(java.io.OutputStream.nullOutputStream());
      out.write(random(6 << 20, i));
      out.abandon();
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (busyHashers() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, busyHashers(), "hasher threads still working on abandoned content");
  }

  // hasher threads of the pool that are not parked waiting for work
  private static long busyHashers() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().equals("jbuild-hash"))
        .filter(e -> java.util.Arrays.stream(e.getValue()).noneMatch(f -> f.getMethodName().equals("getTask")))
        .count();
  }

  @Test
  void closeAfterOffloadingDoesNotHang() throws Exception {
    DigestingOutputStream out = DigestingOutputStream.offloading(new ByteArrayOutputStream());
    out.write(random(5 << 20, 3));
    out.close();
    assertTrue(true);
  }
}
