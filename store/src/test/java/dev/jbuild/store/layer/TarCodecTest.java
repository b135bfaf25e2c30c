package dev.jbuild.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.store.testing.TarEntries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarCodecTest {
  static byte[] allBytes() {
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static byte[] tar(List<TarEntry> entries, Map<String, byte[]> contents) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(out);
    for (TarEntry e : entries) {
      w.header(e);
      if (e.kind() == TarEntry.Kind.FILE) {
        byte[] c = contents.getOrDefault(e.name(), new byte[0]);
        w.content(Channels.newChannel(new ByteArrayInputStream(c)), c.length, e.name());
      }
    }
    w.finish();
    return out.toByteArray();
  }

  @Test
  void paxRecordsAreByteExactAndReadBack() throws IOException {
    String longName = "d/" + "n".repeat(150) + "/\u00e9t\u00e9-" + "x".repeat(60);
    String longLink = "/" + "t".repeat(200);
    byte[] cap = allBytes();
    TarEntry file = new TarEntry(longName, TarEntry.Kind.FILE, 04755, 3_000_000, 4_000_000_000L, 5, 1_600_000_000L, null,
        0, 0, Map.of("security.capability", cap, "user.note", "a=b\nc".getBytes(StandardCharsets.UTF_8)));
    TarEntry link = new TarEntry("l", TarEntry.Kind.SYMLINK, 0777, 0, 0, 0, -5, longLink, 0, 0, null);
    TarEntry dev = new TarEntry("dev/x", TarEntry.Kind.BLOCK, 0660, 0, 6, 0, 0, null, 259, 1_048_575, null);
    byte[] bytes = tar(List.of(file, link, dev), Map.of(longName, "hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, bytes.length % 512);

    TarReader r = new TarReader(new ByteArrayInputStream(bytes));
    TarEntry f = r.next();
    assertEquals(longName, f.name());
    assertEquals(04755, f.mode());
    assertEquals(3_000_000, f.uid());
    assertEquals(4_000_000_000L, f.gid());
    assertEquals(1_600_000_000L, f.mtime());
    assertArrayEquals(cap, f.xattrs().get("security.capability"));
    assertArrayEquals("a=b\nc".getBytes(StandardCharsets.UTF_8), f.xattrs().get("user.note"));
    assertEquals("hello", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
    TarEntry l = r.next();
    assertEquals(longLink, l.linkName());
    assertEquals(-5, l.mtime());
    TarEntry d = r.next();
    assertEquals(TarEntry.Kind.BLOCK, d.kind());
    assertEquals(259, d.devMajor());
    assertEquals(1_048_575, d.devMinor());
    assertNull(r.next());

    // an independent reader sees the same names, ids and targets
    List<TarEntries.Entry> seen = TarEntries.list(bytes);
    assertEquals(longName, seen.get(0).name());
    assertEquals(3_000_000, seen.get(0).uid());
    assertEquals(4_000_000_000L, seen.get(0).gid());
    assertEquals(longLink, seen.get(1).link());
  }

  @Test
  void paxRecordLengthCountsItsOwnDigits() {
    // "9 k=vvvv\n" is 9 bytes; one more value byte makes it 10, with a two-digit length: 11
    assertEquals("9 k=vvvv\n", new String(TarWriter.record("k", "vvvv".getBytes()), StandardCharsets.US_ASCII));
    assertEquals("11 k=vvvvv\n", new String(TarWriter.record("k", "vvvvv".getBytes()), StandardCharsets.US_ASCII));
  }

  @Test
  void corruptHeaderIsRefused() throws IOException {
    byte[] bytes = tar(List.of(new TarEntry("a", TarEntry.Kind.FILE, 0644, 0, 0, 0, 0, null, 0, 0, null)), Map.of());
    bytes[0] = 'b';
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> new TarReader(new ByteArrayInputStream(bytes)).next());
    assertEquals("tar header checksum mismatch (not a tar archive?)", e.getMessage());
  }
}
