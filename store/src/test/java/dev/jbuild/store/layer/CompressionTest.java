package dev.jbuild.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.store.oci.MediaType;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CompressionTest {
  @ParameterizedTest
  @EnumSource(Compression.class)
  void detectsWhatItWroteAndDecompressesIt(Compression c) throws IOException {
    byte[] plain = ParallelGzipTest.data(300_000, 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = c.compress(out, 0, 2)) {
      z.write(plain);
    }
    byte[] framed = out.toByteArray();
    assertEquals(c, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(framed))));
    try (InputStream in = Compression.decompress(new ByteArrayInputStream(framed))) {
      assertArrayEquals(plain, in.readAllBytes());
    }
  }

  @Test
  void magicBytesAndMediaTypes() throws IOException {
    assertEquals(Compression.GZIP, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b}))));
    assertEquals(Compression.ZSTD,
        Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0}))));
    assertEquals(Compression.NONE, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {'e', 't', 'c'}))));
    assertEquals(Compression.NONE, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[0]))));
    assertEquals(MediaType.OCI_LAYER_ZSTD, Compression.ZSTD.mediaType());
    assertEquals(MediaType.OCI_LAYER_GZIP, Compression.GZIP.mediaType());
    assertEquals(MediaType.OCI_LAYER, Compression.NONE.mediaType());
  }
}
