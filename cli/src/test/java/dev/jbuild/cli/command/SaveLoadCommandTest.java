package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RandomImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadCommandTest {
  @TempDir Path tmp;
  Store src;
  Cli from;
  Cli to;

  @BeforeEach
  void stores() throws Exception {
    src = Store.open(StoreRoot.of(tmp.resolve("src")));
    src.layout().tag(ImageRef.parse("app:1"), RandomImages.image(src, 2, 4000, 5));
    src.layout().tag(ImageRef.parse("tool:2"), RandomImages.image(src, 1, 1000, 6, MediaType.OCI_LAYER_ZSTD));
    from = new Cli(tmp.resolve("src"));
    to = new Cli(tmp.resolve("dst"));
  }

  @Test
  void saveThenLoadEachFormat() throws Exception {
    for (String format : List.of("oci-archive", "docker-archive", "oci-dir")) {
      Path file = tmp.resolve("out-" + format);
      Cli dst = new Cli(tmp.resolve("dst-" + format));
      Cli.Result save = from.run("save", "--format", format, "-o", file.toString(), "app:1", "tool:2");
      assertEquals(0, save.exitCode(), save::toString);
      assertEquals("", save.out());
      Cli.Result load = dst.run("load", "-i", file.toString());
      assertEquals(0, load.exitCode(), load::toString);
      assertEquals("Loaded image: app:1\nLoaded image: tool:2\n", load.out(), format);
      Store d = Store.open(StoreRoot.of(tmp.resolve("dst-" + format)));
      for (String name : List.of("app:1", "tool:2")) {
        assertEquals(new Images(src).resolve(name).id(), new Images(d).resolve(name).id(), format + " " + name);
        if (!format.equals("docker-archive")) {
          assertEquals(new Images(src).resolve(name).manifestDigest(), new Images(d).resolve(name).manifestDigest());
        }
      }
      Cli.Result verify = dst.run("verify");
      assertEquals(0, verify.exitCode(), verify::toString);
    }
  }

  @Test
  void defaultFormatIsOciArchive() throws Exception {
    Path file = tmp.resolve("x.tar");
    assertEquals(0, from.run("save", "-o", file.toString(), "app:1").exitCode());
    byte[] head = Arrays.copyOf(Files.readAllBytes(file), 6);
    assertEquals("blobs/", new String(head));
  }

  @Test
  void badInputIsOneLineAndExit125() throws Exception {
    Path garbage = Files.writeString(tmp.resolve("garbage.tar"), "no tar here\n".repeat(100));
    assertError(to.run("load", "-i", garbage.toString()), "jbuild: archive: not a tar archive");
    assertError(to.run("load", "-i", tmp.resolve("absent.tar").toString()), "jbuild: no such file or directory: ");
    assertError(from.run("save", "-o", tmp.resolve("f").toString(), "nosuch:1"), "jbuild: no such image: nosuch:1");
    assertError(from.run("save", "--format", "oci-dir", "app:1"), "jbuild: --format oci-dir needs -o DIR");
    assertError(from.run("save", "--format", "zip", "-o", tmp.resolve("f").toString(), "app:1"),
        "jbuild: unknown archive format \"zip\"");
    assertFalse(Files.exists(tmp.resolve("f")));
    assertError(from.run("save", "-o", tmp.toString(), "app:1"), "jbuild: " + tmp + ": is a directory");
    assertError(from.run("save", "-o", tmp.resolve("no/such/x.tar").toString(), "app:1"),
        "jbuild: no such file or directory: " + tmp.resolve("no/such"));

    Path file = tmp.resolve("ok.tar");
    assertEquals(0, from.run("save", "-o", file.toString(), "app:1").exitCode());
    byte[] archive = Files.readAllBytes(file);
    for (int length : List.of(archive.length / 2, archive.length - 3000)) {
      Path cut = Files.write(tmp.resolve("cut.tar"), Arrays.copyOf(archive, length));
      Cli.Result r = to.run("load", "-i", cut.toString());
      assertError(r, "jbuild: ");
      assertTrue(r.err().contains("truncated"), r::toString);
    }
    Cli.Result images = to.run("images", "--format", "json");
    assertEquals(0, images.exitCode(), images::toString);
    assertFalse(images.out().contains("app"), images.out());
    assertEquals(0, to.run("verify").exitCode());
  }

  private static void assertError(Cli.Result r, String prefix) {
    assertEquals(125, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith(prefix), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
  }
}
