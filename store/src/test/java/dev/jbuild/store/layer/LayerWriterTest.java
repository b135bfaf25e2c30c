package dev.jbuild.store.layer;

import static dev.jbuild.store.testing.FsFixture.dir;
import static dev.jbuild.store.testing.FsFixture.fifo;
import static dev.jbuild.store.testing.FsFixture.file;
import static dev.jbuild.store.testing.FsFixture.hardlink;
import static dev.jbuild.store.testing.FsFixture.mtime;
import static dev.jbuild.store.testing.FsFixture.symlink;
import static dev.jbuild.store.testing.TarEntries.Type.DIR;
import static dev.jbuild.store.testing.TarEntries.Type.FIFO;
import static dev.jbuild.store.testing.TarEntries.Type.LINK;
import static dev.jbuild.store.testing.TarEntries.Type.REG;
import static dev.jbuild.store.testing.TarEntries.Type.SYMLINK;
import static dev.jbuild.store.testing.TarEntries.assertTarEntries;
import static dev.jbuild.store.testing.TarEntries.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.testing.FsFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerWriterTest {
  static final String LONG = "l".repeat(120);

  /** Everything a non-root user can create. */
  static FsFixture fixture() {
    return FsFixture.of(
        dir("a", 0755), file("a/x", "x", 0644), file("a-b", "ab", 0600), file("a0", "", 0644),
        dir("bin", 0755), file("bin/su", "#!/bin/sh\n", 04755), hardlink("bin/su2", "bin/su"),
        dir("etc", 02755), file("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644),
        symlink("etc/localtime", "/usr/share/zoneinfo//UTC/"),
        dir("long", 0700), file("long/" + LONG, "long", 0444),
        dir("run", 0755), fifo("run/fifo", 0620), dir("tmp", 01777), mtime("tmp", 1_700_000_000L));
  }

  static byte[] write(Path dir, LayerOptions opts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerWritten w = LayerWriter.write(dir, out, opts);
    byte[] blob = out.toByteArray();
    try (InputStream in = Compression.decompress(new java.io.ByteArrayInputStream(blob))) {
      byte[] tar = in.readAllBytes();
      assertEquals(Digest.of(tar), w.diffId(), "diffId is the sha256 of the uncompressed tar");
      assertEquals(tar.length, w.uncompressedSize());
    }
    return blob;
  }

  @Test
  void entriesAreSortedByPathBytesWithFullModesAndHardLinks(@TempDir Path tmp) throws IOException {
    fixture().apply(tmp);
    byte[] blob = write(tmp, LayerOptions.defaults());
    long m = FsFixture.MTIME;
    assertTarEntries(blob,
        entry("a-b", REG, 0600).size(2).mtime(m),
        entry("a/", DIR, 0755).mtime(m),
        entry("a/x", REG, 0644).size(1),
        entry("a0", REG, 0644).size(0),
        entry("bin/", DIR, 0755),
        entry("bin/su", REG, 04755).size(10),
        entry("bin/su2", LINK, 04755).size(0).link("bin/su"),
        entry("etc/", DIR, 02755),
        entry("etc/localtime", SYMLINK, 0777).link("/usr/share/zoneinfo//UTC/"),
        entry("etc/passwd", REG, 0644),
        entry("long/", DIR, 0700),
        entry("long/" + LONG, REG, 0444).size(4),
        entry("run/", DIR, 0755),
        entry("run/fifo", FIFO, 0620),
        entry("tmp/", DIR, 01777).mtime(1_700_000_000L));
  }

  @Test
  void sourceDateEpochClampsMtimes(@TempDir Path tmp) throws IOException {
    fixture().apply(tmp);
    long epoch = 1_650_000_000L;
    byte[] blob = write(tmp, LayerOptions.defaults().withSourceDateEpoch(Instant.ofEpochSecond(epoch)));
    // older mtimes stay, newer ones are clamped
    assertEquals(FsFixture.MTIME, dev.jbuild.store.testing.TarEntries.list(blob).get(0).mtime());
    assertEquals(epoch, dev.jbuild.store.testing.TarEntries.list(blob).get(14).mtime());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void reproducibleUnderSourceDateEpochDespiteDifferentMtimes(Compression c, @TempDir Path tmp) throws IOException {
    Path one = Files.createDirectory(tmp.resolve("one"));
    Path two = Files.createDirectory(tmp.resolve("two"));
    fixture().apply(one);
    fixture().apply(two);
    Files.setLastModifiedTime(two.resolve("etc/passwd"), java.nio.file.attribute.FileTime.fromMillis(1_900_000_000_000L));
    LayerOptions plain = LayerOptions.defaults().withCompression(c);
    assertNotEquals(Digest.of(write(one, plain)), Digest.of(write(two, plain)), "the mtimes differ");
    LayerOptions clamped = plain.withSourceDateEpoch(Instant.ofEpochSecond(1_500_000_000L));
    assertArrayEquals(write(one, clamped), write(two, clamped));
  }

  @Test
  void emptyDirectoryIsAnEmptyTar(@TempDir Path tmp) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerWritten w = LayerWriter.write(tmp, out, LayerOptions.defaults().withCompression(Compression.NONE));
    assertEquals(1024, w.uncompressedSize());
    assertEquals(Digest.of(new byte[1024]), w.diffId());
    assertEquals(0, w.entries());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  @org.junit.jupiter.api.Timeout(60)
  void failingSinkFailsTheWriteWithoutHanging(Compression c, @TempDir Path tmp) throws IOException {
    Files.write(tmp.resolve("big"), new byte[8 << 20]);
    java.io.OutputStream failing = new java.io.OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("no space left");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("no space left");
      }
    };
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> LayerWriter.write(tmp, failing, LayerOptions.defaults().withCompression(c)));
  }
}
