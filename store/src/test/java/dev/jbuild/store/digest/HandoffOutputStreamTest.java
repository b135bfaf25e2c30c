package dev.jbuild.store.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HandoffOutputStreamTest {
  @Test
  void passesEverythingInOrderAndClosesDownstream() throws IOException {
    byte[] data = new byte[5 * 1024 * 1024 + 17];
    new Random(2).nextBytes(data);
    boolean[] closed = {false};
    ByteArrayOutputStream sink = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    try (HandoffOutputStream h = new HandoffOutputStream(sink, "test-handoff")) {
      for (int off = 0; off < data.length; off += 70_001) {
        h.write(data, off, Math.min(70_001, data.length - off));
      }
    }
    assertArrayEquals(data, sink.toByteArray());
    assertTrue(closed[0]);
  }

  @Test
  @Timeout(20)
  void downstreamFailureSurfacesWithoutHanging() {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    IOException e = assertThrows(IOException.class, () -> {
      try (HandoffOutputStream h = new HandoffOutputStream(failing, "test-handoff")) {
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 50; i++) {
          h.write(chunk);
        }
      }
    });
    assertEquals("disk full", e.getMessage());
  }

  @Test
  @Timeout(20)
  void failingCloseSurfacesWithoutHanging() {
    OutputStream failingClose = new OutputStream() {
      @Override
      public void write(int b) {}

      @Override
      public void close() throws IOException {
        throw new IOException("close failed");
      }
    };
    HandoffOutputStream h = new HandoffOutputStream(failingClose, "test-handoff");
    assertThrows(IOException.class, h::close);
  }
}
