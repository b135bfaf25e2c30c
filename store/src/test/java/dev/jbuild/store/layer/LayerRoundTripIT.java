package dev.jbuild.store.layer;

import static dev.jbuild.store.testing.FsFixture.chardev;
import static dev.jbuild.store.testing.FsFixture.blockdev;
import static dev.jbuild.store.testing.FsFixture.dir;
import static dev.jbuild.store.testing.FsFixture.fifo;
import static dev.jbuild.store.testing.FsFixture.file;
import static dev.jbuild.store.testing.FsFixture.hardlink;
import static dev.jbuild.store.testing.FsFixture.opaque;
import static dev.jbuild.store.testing.FsFixture.owner;
import static dev.jbuild.store.testing.FsFixture.symlink;
import static dev.jbuild.store.testing.FsFixture.whiteout;
import static dev.jbuild.store.testing.FsFixture.xattr;
import static dev.jbuild.store.testing.TarEntries.Type.CHAR;
import static dev.jbuild.store.testing.TarEntries.Type.DIR;
import static dev.jbuild.store.testing.TarEntries.Type.REG;
import static dev.jbuild.store.testing.TarEntries.assertTarEntries;
import static dev.jbuild.store.testing.TarEntries.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.testing.FsFixture;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every entry kind through write, apply and compare, plus GNU tar, gzip and zstd reading jbuild's output. */
@RequiresRoot
class LayerRoundTripIT {
  /** A v2 file capability (cap_net_bind_service+ep): binary, with NUL bytes. */
  static final byte[] CAP = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  static FsFixture everything() {
    byte[] big = new byte[700_000];
    new Random(1).nextBytes(big);
    return FsFixture.of(
        dir("bin", 0755), file("bin/ping", "ELF...", 0755), xattr("bin/ping", "security.capability", CAP),
        file("bin/su", "#!/bin/sh\n", 04755), file("bin/wall", "w", 02755), hardlink("bin/su-link", "bin/su"),
        dir("dev", 0755), chardev("dev/null", 1, 3, 0666), blockdev("dev/loop9", 7, 9, 0660), fifo("dev/initctl", 0600),
        dir("etc", 0755), file("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644),
        symlink("etc/mtab", "/proc/self/mounts"), symlink("etc/dangling", "../nowhere//x/"),
        dir("home", 0755), dir("home/big", 0750), owner("home/big", 3_000_000, 3_000_001),
        file("home/big/data", big, 0640), owner("home/big/data", 3_000_000, 3_000_001),
        xattr("home/big/data", "user.comment", "h\u00e9llo=\nworld"),
        dir("opaque", 0755), opaque("opaque"), file("opaque/kept", "k", 0644),
        whiteout("removed"), whiteout("etc/shadow"),
        dir("tmp", 01777), dir("caf\u00e9", 0755), file("caf\u00e9/\u65e5\u672c\u8a9e.txt", "utf-8 names", 0644),
        dir("long", 0755), file("long/" + "n".repeat(150), "long", 0644),
        symlink("long/link", "/" + "t".repeat(180)), hardlink("long/hl", "long/" + "n".repeat(150)));
  }

  /** Overlay's bookkeeping xattrs differ between upper dirs; everything else must survive. */
  static List<String> describe(Path root) throws IOException {
    return FsFixture.describe(root, true, x -> !x.startsWith("trusted.overlay.") || x.equals("trusted.overlay.opaque"));
  }

  static byte[] write(Path dir, Compression c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerWriter.write(dir, out, LayerOptions.defaults().withCompression(c));
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyKindSurvivesWriteAndApply(Compression c, @TempDir Path tmp) throws IOException {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Path dst = Files.createDirectory(tmp.resolve("dst"));
    everything().apply(src);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerWritten w = LayerWriter.write(src, out, LayerOptions.defaults().withCompression(c));
    LayerApplied a = LayerApplier.apply(new ByteArrayInputStream(out.toByteArray()), dst,
        LayerApplier.Options.defaults().withDevices(true).expecting(w.diffId()));
    assertEquals(w.diffId(), a.diffId());
    assertEquals(w.uncompressedSize(), a.uncompressedSize());
    assertEquals(describe(src), describe(dst));
    assertTrue(Whiteouts.isWhiteout(dst.resolve("removed")));
    assertTrue(Whiteouts.isOpaque(dst.resolve("opaque")));
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesBecomeMarkerFiles(@TempDir Path tmp) throws IOException {
    FsFixture.of(dir("d", 0755), opaque("d"), file("d/f", "f", 0644), whiteout("gone"), whiteout("d/old"),
        xattr("d", "trusted.overlay.origin", "x"), chardev("null", 1, 3, 0666)).apply(tmp);
    byte[] blob = write(tmp, Compression.GZIP);
    assertTarEntries(blob,
        entry(".wh.gone", REG, 0).size(0),
        entry("d/", DIR, 0755),
        entry("d/.wh..wh..opq", REG, 0).size(0),
        entry("d/.wh.old", REG, 0).size(0),
        entry("d/f", REG, 0644),
        entry("null", CHAR, 0666));
    String listing = exec(tmp, blob, "tar", "--xattrs", "--xattrs-include=*", "-tvvzf", "-");
    assertFalse(listing.contains("trusted.overlay"), listing);
  }

  @Test
  void wrongExpectedDiffIdIsRefused(@TempDir Path tmp) throws IOException {
    Path src = Files.createDirectory(tmp.resolve("src"));
    FsFixture.of(file("a", "a", 0644)).apply(src);
    byte[] blob = write(src, Compression.GZIP);
    Path dst = Files.createDirectory(tmp.resolve("dst"));
    assertThrows(DigestMismatchException.class, () -> LayerApplier.apply(new ByteArrayInputStream(blob), dst,
        LayerApplier.Options.defaults().expecting(Digest.of("something else"))));
  }

  @Test
  void flattenAppliesWhiteoutsAndOpaqueMarkers(@TempDir Path tmp) throws IOException {
    Path l1 = Files.createDirectory(tmp.resolve("l1"));
    Path l2 = Files.createDirectory(tmp.resolve("l2"));
    FsFixture.of(dir("etc", 0755), file("etc/a", "a", 0644), file("etc/b", "b", 0644), dir("var", 0755),
        file("var/old", "o", 0644), dir("var/sub", 0755), file("var/sub/x", "x", 0644)).apply(l1);
    FsFixture.of(dir("etc", 0755), whiteout("etc/a"), opaque("var"), file("var/new", "n", 0644)).apply(l2);
    Path flat = Files.createDirectory(tmp.resolve("flat"));
    for (Path l : List.of(l1, l2)) {
      LayerApplier.apply(new ByteArrayInputStream(write(l, Compression.ZSTD)), flat,
          LayerApplier.Options.defaults().withMode(LayerApplier.Mode.FLATTEN));
    }
    List<String> names = FsFixture.describe(flat, false, x -> false).stream().map(s -> s.split(" ")[0]).toList();
    assertEquals(List.of("etc", "etc/b", "var", "var/new"), names);
  }

  @Test
  @RequiresTools({"tar", "gzip", "zstd"})
  void gnuToolsReadTheLayers(@TempDir Path tmp) throws IOException {
    Path src = Files.createDirectory(tmp.resolve("src"));
    everything().apply(src);
    ByteArrayOutputStream gzOut = new ByteArrayOutputStream();
    LayerWritten w = LayerWriter.write(src, gzOut, LayerOptions.defaults());
    byte[] gz = gzOut.toByteArray();
    byte[] zst = write(src, Compression.ZSTD);
    exec(tmp, gz, "gzip", "-t", "-");
    // gunzip decodes the parallel stream to exactly the tar the diffID names
    assertEquals(w.diffId().hex() + "  -\n", exec(tmp, gz, "sh", "-c", "gzip -dc | sha256sum"));
    assertEquals(w.diffId().hex() + "  -\n", exec(tmp, zst, "sh", "-c", "zstd -dcq | sha256sum"));
    exec(tmp, zst, "zstd", "-t", "-q", "-");
    String list = exec(tmp, gz, "tar", "--numeric-owner", "-tvzf", "-");
    assertTrue(list.contains("-rwsr-xr-x 0/0"), list);
    assertTrue(list.contains("3000000/3000001"), list);
    assertTrue(list.contains("crw-rw-rw- 0/0") && list.contains("1,3"), list);
    assertTrue(list.contains("long/" + "n".repeat(150)), list);
    assertTrue(list.contains("bin/su-link link to bin/su"), list);
    String xattrs = exec(tmp, gz, "tar", "--xattrs", "--xattrs-include=*", "-tvvzf", "-");
    assertTrue(xattrs.contains("security.capability"), xattrs);
    assertTrue(xattrs.contains("user.comment"), xattrs);
    // GNU tar extracts the binary capability byte-exact
    Path x = Files.createDirectory(tmp.resolve("gnu"));
    exec(x, gz, "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xzf", "-");
    assertEquals(FsFixture.describe(src, false, n -> n.equals("security.capability")).stream()
            .filter(s -> s.startsWith("bin/ping")).toList(),
        FsFixture.describe(x, false, n -> n.equals("security.capability")).stream()
            .filter(s -> s.startsWith("bin/ping")).toList());
    String fromZstd = exec(tmp, zst, "sh", "-c", "zstd -dc | tar -tf -");
    assertTrue(fromZstd.contains("etc/passwd"), fromZstd);
  }

  static String exec(Path dir, byte[] input, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      Thread feeder = new Thread(() -> {
        try (var in = p.getOutputStream()) {
          in.write(input);
        } catch (IOException e) {
          // the tool may stop reading early; its exit status tells
        }
      });
      feeder.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      feeder.join();
      assertEquals(0, rc, String.join(" ", cmd) + " failed:\n" + out);
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      p.destroyForcibly();
    }
  }
}
