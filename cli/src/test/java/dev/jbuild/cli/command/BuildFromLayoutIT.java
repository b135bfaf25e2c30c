package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code FROM oci-layout://DIR[:TAG|@DIGEST]} and {@code FROM oci-archive://FILE[:TAG]}: a base image read from
 * an OCI layout that {@code jbuild save} or {@code build --output type=oci} wrote, into an empty store, then
 * built on with a real RUN step.
 */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class BuildFromLayoutIT {
  Path dir;
  Path ctx;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-from-layout-");
    ctx = Files.createDirectories(dir.resolve("ctx"));
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  Cli cli(String store) {
    return new Cli(dir.resolve(store));
  }

  Images images(String store) throws Exception {
    return new Images(Store.open(StoreRoot.of(dir.resolve(store))));
  }

  static Cli.Result ok(Cli.Result r) {
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  Cli.Result build(Cli c, String buildfile, String... more) throws Exception {
    Files.writeString(ctx.resolve("Buildfile"), buildfile);
    String[] args = Stream.concat(Stream.of("build", "--network", "none", "--progress", "plain"),
        Stream.concat(Stream.of(more), Stream.of(ctx.toString()))).toArray(String[]::new);
    return c.run(args);
  }

  @Test
  void buildsOnImagesFromALayoutDirectoryAndAnArchive() throws Exception {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path rootfs = dir.resolve("rootfs.tar");
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), rootfs.toString());
    Cli a = cli("a");
    ok(a.run("import", rootfs.toString(), "bb:latest"));
    Path layout = dir.resolve("layout");
    ok(a.run("save", "--format", "oci-dir", "-o", layout.toString(), "bb:latest"));
    Image bb = images("a").resolve("bb:latest");
    // a second image, exported by a build's --output type=oci as a tar
    Path archive = dir.resolve("base.tar");
    ok(build(a, "FROM bb:latest\nRUN echo from-archive-base > /base\n", "-t", "base:2",
        "--output", "type=oci,dest=" + archive));
    Image base2 = images("a").resolve("base:2");

    Cli b = cli("b");
    Cli.Result fromDir = ok(build(b, "FROM oci-layout://" + layout + ":latest\nRUN echo hi > /x\nCMD [\"cat\", \"/x\"]\n",
        "-t", "app:1"));
    assertTrue(fromDir.err().contains("using oci-layout://" + layout + ":latest (" + bb.manifestDigest() + ")"),
        fromDir.err());
    Image app1 = images("b").resolve("app:1");
    assertEquals(bb.layers().get(0), app1.layers().get(0), "the base layer is the layout's, byte for byte");
    assertEquals(2, app1.layers().size());
    assertEquals("hi\n", ok(b.run("run", "--rm", "--network", "none", "app:1")).out());
    assertFalse(images("b").find("bb:latest").isPresent(), "the layout's image is used by digest, not tagged");

    // by digest, and a relative path (from the context directory): the same base, so the RUN step is cached
    Cli.Result byDigest = ok(build(b, "FROM oci-layout://../layout@" + bb.manifestDigest()
        + "\nRUN echo hi > /x\nCMD [\"cat\", \"/x\"]\n", "-t", "app:1b"));
    assertTrue(byDigest.err().contains("CACHED"), byDigest.err());
    assertEquals(app1.manifestDigest(), images("b").resolve("app:1b").manifestDigest());

    // an archive written by --output type=oci, by its tag: another base digest, so the same RUN is not a hit
    Cli.Result fromTar = ok(build(b, "FROM oci-archive://" + archive + ":2\nRUN cat /base > /x\nCMD [\"cat\", \"/x\"]\n",
        "-t", "app:2"));
    assertFalse(fromTar.err().contains("CACHED"), fromTar.err());
    Image app2 = images("b").resolve("app:2");
    assertEquals(base2.layers(), app2.layers().subList(0, 2));
    assertEquals("from-archive-base\n", ok(b.run("run", "--rm", "--network", "none", "app:2")).out());
    // the same step text on the other base: the base digest is part of the key
    Cli.Result other = ok(build(b, "FROM oci-layout://" + layout + "\nRUN cat /base > /x || echo none > /x\n", "-t", "app:3"));
    Cli.Result other2 = ok(build(b, "FROM oci-archive://" + archive + "\nRUN cat /base > /x || echo none > /x\n",
        "-t", "app:4"));
    assertFalse(other2.err().contains("CACHED"), other.err() + other2.err());
    assertEquals("none\n", ok(b.run("run", "--rm", "--network", "none", "app:3", "cat", "/x")).out());
    assertEquals("from-archive-base\n", ok(b.run("run", "--rm", "--network", "none", "app:4", "cat", "/x")).out());
  }

  @Test
  void badReferencesAndHostileLayoutsAreLocatedErrors() throws Exception {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path rootfs = dir.resolve("rootfs.tar");
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), rootfs.toString());
    Cli a = cli("a");
    ok(a.run("import", rootfs.toString(), "bb:latest"));
    Path layout = dir.resolve("layout");
    ok(a.run("save", "--format", "oci-dir", "-o", layout.toString(), "bb:latest"));
    Image bb = images("a").resolve("bb:latest");
    Cli b = cli("b");

    Cli.Result missing = build(b, "# base\nFROM oci-layout://" + dir.resolve("nope") + "\nRUN true\n");
    assertEquals(125, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("Buildfile:2:1: oci-layout://" + dir.resolve("nope") + ": " + dir.resolve("nope")
        + ": no such directory"), missing.err());

    Cli.Result badTag = build(b, "FROM oci-layout://" + layout + ":v9\nRUN true\n");
    assertEquals(125, badTag.exitCode(), badTag.toString());
    assertTrue(badTag.err().contains("Buildfile:1:1: oci-layout://" + layout + ":v9: index.json: has no image tagged "
        + "\"v9\" (names: bb:latest)"), badTag.err());

    Cli.Result notTar = build(b, "FROM oci-archive://" + ctx.resolve("Buildfile") + "\nRUN true\n");
    assertEquals(125, notTar.exitCode(), notTar.toString());
    assertTrue(notTar.err().contains("Buildfile:1:1: oci-archive://" + ctx.resolve("Buildfile") + ": archive: not a tar"),
        notTar.err());

    // a layer blob whose content does not match its digest: refused, nothing tagged, no image built
    Path layer = layout.resolve("blobs/sha256/" + bb.layers().get(0).digest().hex());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(layer, bytes);
    Cli.Result corrupt = build(b, "FROM oci-layout://" + layout + "\nRUN true\n", "-t", "bad:1");
    assertEquals(125, corrupt.exitCode(), corrupt.toString());
    assertTrue(corrupt.err().contains("Buildfile:1:1: oci-layout://" + layout + ": blobs/sha256/"
        + bb.layers().get(0).digest().hex() + ": blob content does not match its digest"), corrupt.err());
    assertFalse(images("b").find("bad:1").isPresent());
    assertFalse(Files.exists(dir.resolve("b/oci/blobs/sha256/" + bb.layers().get(0).digest().hex())));
    // the same corrupt layout as a tar
    Path badTar = dir.resolve("bad.tar");
    BuildCommandIT.exec("tar", "-C", layout.toString(), "-cf", badTar.toString(), "oci-layout", "index.json", "blobs");
    Cli.Result corruptTar = build(b, "FROM oci-archive://" + badTar + "\nRUN true\n", "-t", "bad:1");
    assertEquals(125, corruptTar.exitCode(), corruptTar.toString());
    assertTrue(corruptTar.err().contains("Buildfile:1:1: oci-archive://" + badTar + ": blobs/sha256/"
        + bb.layers().get(0).digest().hex() + ": blob content does not match its name"), corruptTar.err());
    assertFalse(images("b").find("bad:1").isPresent());

    // a blob that is a symlink out of the layout is not followed
    Files.delete(layer);
    Files.createSymbolicLink(layer, Path.of("/etc/passwd"));
    Cli.Result link = build(b, "FROM oci-layout://" + layout + "\nRUN true\n");
    assertEquals(125, link.exitCode(), link.toString());
    assertTrue(link.err().contains(": not a regular file in the layout"), link.err());
  }
}
