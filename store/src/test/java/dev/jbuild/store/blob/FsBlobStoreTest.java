package dev.jbuild.store.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsBlobStoreTest {
  @TempDir Path root;
  FsBlobStore store;

  @BeforeEach
  void open() throws IOException {
    store = new FsBlobStore(root.resolve("oci/blobs"), root.resolve("tmp"));
  }

  @Test
  void putStoresUnderItsDigest() throws IOException {
    byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
    Descriptor d = store.put(MediaType.OCI_CONFIG, content);
    assertEquals(Digest.of(content), d.digest());
    assertEquals(5, d.size());
    assertEquals(MediaType.OCI_CONFIG, d.mediaType());
    Path file = root.resolve("oci/blobs/sha256/" + d.digest().hex());
    assertArrayEquals(content, Files.readAllBytes(file));
    assertEquals(file, store.path(d.digest()));
    assertTrue(store.has(d.digest()));
    assertEquals(5, store.size(d.digest()));
    try (InputStream in = store.open(d.digest())) {
      assertArrayEquals(content, in.readAllBytes());
    }
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(0, tempFiles());
  }

  @Test
  void streamedPutOfALargeBlob() throws IOException {
    byte[] content = new byte[3_000_000];
    new Random(7).nextBytes(content);
    Descriptor d = store.put(MediaType.OCI_LAYER, new ByteArrayInputStream(content));
    assertEquals(Digest.of(content), d.digest());
    assertEquals(content.length, d.size());
  }

  @Test
  void putIsIdempotentAndRefreshesTheBlob() throws IOException {
    Descriptor a = store.put(MediaType.OCI_CONFIG, new byte[] {1, 2, 3});
    Path file = store.path(a.digest());
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
    Descriptor b = store.put(MediaType.OCI_CONFIG, new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertTrue(Files.getLastModifiedTime(file).toInstant().isAfter(Instant.parse("2020-01-01T00:00:00Z")));
    assertEquals(0, tempFiles());
  }

  @Test
  void writerWritesToTempUntilCommit() throws IOException {
    try (BlobWriter w = store.newWriter()) {
      w.stream().write("abc".getBytes(StandardCharsets.UTF_8));
      w.stream().flush();
      assertEquals(3, w.size());
      assertEquals(1, tempFiles());
      assertFalse(store.has(Digest.of("abc")));
      Descriptor d = w.commit(MediaType.OCI_LAYER);
      assertEquals(Digest.of("abc"), d.digest());
      assertTrue(store.has(d.digest()));
    }
    assertEquals(0, tempFiles());
  }

  @Test
  void closeWithoutCommitDiscards() throws IOException {
    BlobWriter w = store.newWriter();
    w.stream().write(new byte[100]);
    w.close();
    w.close();
    assertEquals(0, tempFiles());
    assertFalse(store.has(Digest.of(new byte[100])));
  }

  @Test
  void commitWithExpectedDigestVerifies() throws IOException {
    try (BlobWriter w = store.newWriter()) {
      w.stream().write("abc".getBytes(StandardCharsets.UTF_8));
      assertEquals(Digest.of("abc"), w.commit(MediaType.OCI_LAYER, Digest.of("abc")).digest());
    }
    try (BlobWriter w = store.newWriter()) {
      w.stream().write("abd".getBytes(StandardCharsets.UTF_8));
      DigestMismatchException e = assertThrows(DigestMismatchException.class,
          () -> w.commit(MediaType.OCI_LAYER, Digest.of("xyz")));
      assertEquals(Digest.of("abd"), e.got());
    }
    assertFalse(store.has(Digest.of("abd")));
    assertEquals(0, tempFiles());
  }

  @Test
  void missingBlobsAreReportedAsSuch() {
    Digest d = Digest.of("absent");
    assertFalse(store.has(d));
    BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.open(d));
    assertEquals(d + ": blob not found in the store", e.describe());
    assertThrows(BlobNotFoundException.class, () -> store.size(d));
    assertThrows(BlobNotFoundException.class, () -> store.path(d));
  }

  @Test
  void readAllRefusesOversizedBlobs() throws IOException {
    Descriptor d = store.put(MediaType.OCI_LAYER, new byte[100]);
    assertEquals(100, store.readAll(d.digest(), 100).length);
    assertThrows(dev.jbuild.store.JbuildException.class, () -> store.readAll(d.digest(), 99));
  }

  private long tempFiles() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      return s.count();
    }
  }
}
