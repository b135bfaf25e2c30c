package dev.jbuild.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParallelGzipTest {
  static final int CHUNK = ParallelGzipOutputStream.CHUNK;

  /** Text-like data with long-range repeats, random data, and a mix, of the given size. */
  static byte[] data(int size, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[size];
    String[] words = {"layer ", "overlay ", "whiteout ", "digest ", "sha256 ", "\n", "tar ", "jbuild "};
    int i = 0;
    while (i < size) {
      if (r.nextInt(10) == 0) {
        int n = Math.min(size - i, r.nextInt(20_000));
        byte[] rnd = new byte[n];
        r.nextBytes(rnd);
        System.arraycopy(rnd, 0, b, i, n);
        i += n;
      } else {
        byte[] w = words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(size - i, w.length);
        System.arraycopy(w, 0, b, i, n);
        i += n;
      }
    }
    return b;
  }

  static byte[] gzip(byte[] in, int threads, int writeSize, boolean store) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, 6, threads, store)) {
      for (int off = 0; off < in.length; off += writeSize) {
        gz.write(in, off, Math.min(writeSize, in.length - off));
      }
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4095, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 12_345})
  void roundTripsAndIsOneMemberWhateverTheThreadsAndWriteSizes(int size) throws IOException {
    byte[] in = data(size, size);
    byte[] one = gzip(in, 1, 8192, true);
    assertArrayEquals(in, gunzip(one));
    assertArrayEquals(one, gzip(in, 2, 100_000, true));
    assertArrayEquals(one, gzip(in, 4, 7, true));
    // header: no name, mtime 0, OS 255
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255}, Arrays.copyOf(one, 10));
  }

  @Test
  void repeatedRunsAreByteIdentical() throws IOException {
    byte[] in = data(20 * CHUNK, 7);
    byte[] first = gzip(in, 2, 65536, true);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(first, gzip(in, 2, 65536, true));
    }
  }

  @Test
  void dictionaryPrimingKeepsCrossChunkMatches() throws IOException {
    // a 20 KiB random block repeated: the second chunk starts inside a repeat that only the dictionary can see
    byte[] block = new byte[20 * 1024];
    new Random(3).nextBytes(block);
    byte[] in = new byte[10 * block.length];
    for (int i = 0; i < 10; i++) {
      System.arraycopy(block, 0, in, i * block.length, block.length);
    }
    byte[] gz = gzip(in, 2, 65536, false);
    assertArrayEquals(in, gunzip(gz));
    // without priming the second chunk would hold another literal copy (about 40 KiB in all)
    assertTrue(gz.length < 1.3 * block.length, "compressed " + gz.length);
  }

  @Test
  void randomChunksAreStoredAndTextIsNot() throws IOException {
    byte[] rnd = new byte[4 * CHUNK];
    new Random(5).nextBytes(rnd);
    assertTrue(ParallelGzipOutputStream.looksIncompressible(rnd, CHUNK));
    byte[] text = "the quick brown fox jumps over the lazy dog 0123456789\n".repeat(3000).getBytes(StandardCharsets.US_ASCII);
    assertFalse(ParallelGzipOutputStream.looksIncompressible(text, CHUNK));
    byte[] stored = gzip(rnd, 2, 65536, true);
    assertArrayEquals(rnd, gunzip(stored));
    // 3 stored blocks of 5 header bytes per chunk, the empty last chunk deflated to 2 bytes, header and trailer 18
    assertEquals(rnd.length + 4 * 3 * 5 + 2 + 18, stored.length);
  }
}
