package dev.jbuild.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile layers, each generated here, applied next to a canary file: every case must
 * fail with a {@link LayerFormatException} (or be confined), and the canary and its directory
 * must be untouched.
 */
class HostileLayerTest {
  @TempDir Path tmp;
  Path target;
  Path outside;
  Path canary;

  @BeforeEach
  void setUp() throws IOException {
    target = Files.createDirectory(tmp.resolve("target"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    canary = Files.writeString(outside.resolve("canary"), "canary");
  }

  /** A tiny tar builder over jbuild's own writer, which writes any name it is given. */
  static final class Tar {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final TarWriter w = new TarWriter(out);

    Tar file(String name, String content) throws IOException {
      byte[] c = content.getBytes(StandardCharsets.UTF_8);
      w.header(new TarEntry(name, TarEntry.Kind.FILE, 0644, 0, 0, c.length, 0, null, 0, 0, null));
      w.content(Channels.newChannel(new ByteArrayInputStream(c)), c.length, name);
      return this;
    }

    Tar dir(String name) throws IOException {
      w.header(new TarEntry(name, TarEntry.Kind.DIR, 0755, 0, 0, 0, 0, null, 0, 0, null));
      return this;
    }

    Tar symlink(String name, String to) throws IOException {
      w.header(new TarEntry(name, TarEntry.Kind.SYMLINK, 0777, 0, 0, 0, 0, to, 0, 0, null));
      return this;
    }

    Tar hardlink(String name, String to) throws IOException {
      w.header(new TarEntry(name, TarEntry.Kind.HARDLINK, 0644, 0, 0, 0, 0, to, 0, 0, null));
      return this;
    }

    Tar chardev(String name) throws IOException {
      w.header(new TarEntry(name, TarEntry.Kind.CHAR, 0666, 0, 0, 0, 0, null, 1, 3, null));
      return this;
    }

    byte[] bytes() throws IOException {
      w.finish();
      return out.toByteArray();
    }
  }

  static Tar tar() {
    return new Tar();
  }

  /** Case name, archive, and the mode it is applied in. */
  static Stream<Arguments> refused() throws IOException {
    String out = "../outside";
    return Stream.of(
        Arguments.of("dot-dot", tar().file("../outside/canary", "pwned").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("dot-dot inside", tar().file("a/../../outside/canary", "pwned").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("file through symlink", tar().symlink("evil", out).file("evil/canary", "pwned").bytes(),
            LayerApplier.Mode.OVERLAY),
        Arguments.of("file through absolute symlink",
            tar().symlink("evil", "/proc/self/cwd/../outside").file("evil/canary", "pwned").bytes(), LayerApplier.Mode.FLATTEN),
        Arguments.of("dir through symlink", tar().symlink("evil", out).dir("evil/sub").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("hard link out", tar().hardlink("h", "../outside/canary").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("hard link through symlink", tar().symlink("evil", out).hardlink("h", "evil/canary").bytes(),
            LayerApplier.Mode.FLATTEN),
        Arguments.of("hard link to absolute host path", tar().hardlink("h", "/etc/passwd").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("hard link before its target", tar().hardlink("h", "later").file("later", "x").bytes(),
            LayerApplier.Mode.OVERLAY),
        Arguments.of("whiteout through symlink", tar().symlink("evil", out).file("evil/.wh.canary", "").bytes(),
            LayerApplier.Mode.FLATTEN),
        Arguments.of("overlay whiteout through symlink", tar().symlink("evil", out).file("evil/.wh.canary", "").bytes(),
            LayerApplier.Mode.OVERLAY),
        Arguments.of("opaque through symlink", tar().symlink("evil", out).file("evil/.wh..wh..opq", "").bytes(),
            LayerApplier.Mode.FLATTEN),
        Arguments.of("whiteout of dot-dot", tar().file(".wh..", "").bytes(), LayerApplier.Mode.FLATTEN),
        Arguments.of("device node", tar().chardev("dev/mem").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("NUL in name", tar().file("a\0/" + "x".repeat(100) + "/../../outside/canary", "pwned").bytes(), LayerApplier.Mode.OVERLAY),
        Arguments.of("huge pax header", hugePax(), LayerApplier.Mode.OVERLAY),
        Arguments.of("garbage", "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.US_ASCII),
            LayerApplier.Mode.OVERLAY),
        Arguments.of("sparse file", raw("sparse", 'S', 0), LayerApplier.Mode.OVERLAY),
        Arguments.of("root replaced by file", tar().file("/", "x").bytes(), LayerApplier.Mode.OVERLAY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedAndNothingEscapes(String name, byte[] archive, LayerApplier.Mode mode) throws IOException {
    assertThrows(LayerFormatException.class, () -> apply(archive, mode));
    assertCanaryIntact();
  }

  @Test
  void truncatedArchiveFails() throws IOException {
    byte[] full = tar().file("big", "x".repeat(5000)).bytes();
    byte[] cut = Arrays.copyOf(full, 2048);
    assertThrows(IOException.class, () -> apply(cut, LayerApplier.Mode.OVERLAY));
  }

  @Test
  void absoluteNamesAreConfined() throws IOException {
    apply(tar().file("/etc/hostname", "box").file("//./usr/bin/x", "y").bytes(), LayerApplier.Mode.OVERLAY);
    assertEquals("box", Files.readString(target.resolve("etc/hostname")));
    assertEquals("y", Files.readString(target.resolve("usr/bin/x")));
    assertCanaryIntact();
  }

  @Test
  void laterEntriesReplaceSymlinksInsteadOfWritingThroughThem() throws IOException {
    byte[] archive = tar()
        .symlink("link", "../outside/canary").file("link", "replaced")
        .file("dup", "first").symlink("dup", "../outside/canary").file("dup", "second")
        .symlink("s", "../outside/canary").hardlink("h", "s").file("h", "own")
        .bytes();
    apply(archive, LayerApplier.Mode.OVERLAY);
    assertEquals("replaced", Files.readString(target.resolve("link")));
    assertEquals("second", Files.readString(target.resolve("dup")));
    assertEquals("own", Files.readString(target.resolve("h")));
    assertTrue(Files.isSymbolicLink(target.resolve("s")));
    assertCanaryIntact();
  }

  @Test
  void hardLinkedFileIsReplacedNotRewritten() throws IOException {
    apply(tar().file("a", "original").hardlink("b", "a").file("b", "new").bytes(), LayerApplier.Mode.OVERLAY);
    assertEquals("original", Files.readString(target.resolve("a")));
    assertEquals("new", Files.readString(target.resolve("b")));
  }

  @Test
  void symlinkedDirectoryIsReplacedByALaterDirectoryEntry() throws IOException {
    apply(tar().symlink("d", "../outside").dir("d").file("d/canary", "mine").bytes(), LayerApplier.Mode.OVERLAY);
    assertFalse(Files.isSymbolicLink(target.resolve("d")));
    assertEquals("mine", Files.readString(target.resolve("d/canary")));
    assertCanaryIntact();
  }

  @Test
  void refusalNamesTheEntry() throws IOException {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> apply(tar().symlink("evil", "../outside").file("evil/canary", "x").bytes(), LayerApplier.Mode.OVERLAY));
    assertEquals("layer entry \"evil/canary\": parent \"evil\" is a symlink; refusing to write through it", e.describe());
  }

  private void apply(byte[] archive, LayerApplier.Mode mode) throws IOException {
    LayerApplier.apply(new ByteArrayInputStream(archive), target,
        LayerApplier.Options.defaults().withMode(mode).withOwners(false));
  }

  private void assertCanaryIntact() throws IOException {
    assertEquals("canary", Files.readString(canary));
    assertTrue(Files.isRegularFile(canary, LinkOption.NOFOLLOW_LINKS));
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(canary), s.toList());
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(outside, target), s.sorted().toList());
    }
  }

  /** A pax header announcing 2 MiB of records. */
  static byte[] hugePax() {
    return raw("PaxHeaders.0/x", 'x', 2 << 20);
  }

  /** One raw header block (valid checksum) of the given type and size, followed by zeros. */
  static byte[] raw(String name, char type, long size) {
    byte[] h = new byte[512 * 8];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    h[156] = (byte) type;
    put(h, 257, "ustar");
    h[263] = '0';
    h[264] = '0';
    Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += h[i] & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
