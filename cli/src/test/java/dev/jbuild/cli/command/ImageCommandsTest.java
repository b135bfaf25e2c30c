package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.cli.Cli;
import dev.jbuild.cli.TestTars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {
  @TempDir Path tmp;

  private Path rootfs() throws Exception {
    return TestTars.write(tmp.resolve("rootfs.tar"), Map.of("etc/hostname", "box\n", "bin/hello", "#!/bin/sh\necho hi\n"));
  }

  @Test
  void importListInspectHistoryTagRmiPrune() throws Exception {
    Cli cli = new Cli(tmp.resolve("root"));
    Cli.Result imp = cli.run("import", rootfs().toString(), "box:1");
    assertEquals(0, imp.exitCode(), imp::toString);
    String id = imp.out().strip();
    assertTrue(id.matches("sha256:[a-f0-9]{64}"), id);

    Cli.Result images = cli.run("images");
    assertEquals(0, images.exitCode(), images::toString);
    assertEquals("REPOSITORY   TAG   IMAGE ID       CREATED   SIZE", images.outLines().get(0).replaceAll("CREATED\\s+", "CREATED   "));
    assertTrue(images.outLines().get(1).startsWith("box          1     " + id.substring(7, 19)), images.out());

    JsonNode inspect = new ObjectMapper().readTree(cli.run("inspect", "box:1").out());
    assertEquals(id, inspect.get(0).get("Id").asText());
    assertEquals("box:1", inspect.get(0).get("RepoTags").get(0).asText());
    assertEquals(1, inspect.get(0).get("Layers").size());
    assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", inspect.get(0).get("Layers").get(0).get("mediaType").asText());
    assertEquals("amd64", inspect.get(0).get("Architecture").asText());

    // by id prefix, as docker resolves
    assertEquals(0, cli.run("inspect", id.substring(7, 19)).exitCode());

    Cli.Result history = cli.run("history", "box:1");
    assertTrue(history.outLines().get(1).contains("jbuild import rootfs.tar"), history.out());

    assertEquals(0, cli.run("tag", "box:1", "registry.example:5000/team/box:2").exitCode());
    assertEquals(3, cli.run("images").outLines().size());

    Cli.Result rmi = cli.run("rmi", "box:1");
    assertEquals("Untagged: box:1", rmi.outLines().get(0), rmi::toString);
    assertEquals(1, rmi.outLines().size(), "the image keeps its other name");
    rmi = cli.run("rmi", "registry.example:5000/team/box:2");
    assertTrue(rmi.out().contains("Deleted: sha256:"), rmi::toString);

    Cli.Result prune = cli.run("prune");
    assertEquals(0, prune.exitCode(), prune::toString);
    assertTrue(prune.out().startsWith("Deleted 3 blobs, 0 snapshots"), prune.out());
    assertEquals(0, cli.run("verify").exitCode());
    try (var s = Files.list(tmp.resolve("root/oci/blobs/sha256"))) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void sourceDateEpochMakesImportReproducible() throws Exception {
    Path tar = rootfs();
    Cli a = new Cli(tmp.resolve("a")).withEnv("SOURCE_DATE_EPOCH", "1700000000");
    Cli b = new Cli(tmp.resolve("b")).withEnv("SOURCE_DATE_EPOCH", "1700000000");
    String ida = a.run("import", tar.toString(), "x:1").out().strip();
    String idb = b.run("import", tar.toString(), "x:1").out().strip();
    assertEquals(ida, idb);
    JsonNode inspect = new ObjectMapper().readTree(a.run("inspect", "x:1").out());
    assertEquals("2023-11-14T22:13:20Z", inspect.get(0).get("Created").asText());
  }

  @Test
  void badInputGivesOneLineAnd125AndLeavesTheStoreAlone() throws Exception {
    Cli cli = new Cli(tmp.resolve("root"));
    assertEquals(0, cli.run("import", rootfs().toString(), "box:1").exitCode());
    String before = Files.readString(tmp.resolve("root/oci/index.json"));

    Path notTar = Files.writeString(tmp.resolve("notes.txt"), "hello, this is not a tar archive at all\n".repeat(40));
    Cli.Result r = cli.run("import", notTar.toString(), "bad:1");
    assertEquals(125, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("jbuild: " + notTar + ": not "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());

    Path truncated = tmp.resolve("trunc.tar.gz");
    byte[] gz;
    try (var bos = new java.io.ByteArrayOutputStream(); var gzo = new java.util.zip.GZIPOutputStream(bos)) {
      gzo.write(Files.readAllBytes(rootfs()));
      gzo.finish();
      gz = bos.toByteArray();
    }
    Files.write(truncated, java.util.Arrays.copyOf(gz, gz.length / 2));
    r = cli.run("import", truncated.toString(), "bad:2");
    assertEquals(125, r.exitCode(), r::toString);

    r = cli.run("tag", "box:1", "UPPER:Case");
    assertEquals(125, r.exitCode());
    assertEquals("jbuild: invalid reference \"UPPER:Case\": repository name must be lowercase", r.err().strip());

    r = cli.run("inspect", "nothere:1");
    assertEquals(125, r.exitCode());
    assertEquals("jbuild: no such image: nothere:1", r.err().strip());

    r = cli.run("import", tmp.resolve("missing.tar").toString(), "m:1");
    assertEquals(125, r.exitCode());
    assertTrue(r.err().contains("missing.tar"), r.err());

    r = cli.run("images", "--bogus");
    assertEquals(125, r.exitCode());

    assertEquals(before, Files.readString(tmp.resolve("root/oci/index.json")));
    assertEquals(0, cli.run("verify").exitCode());
    try (var s = Files.list(tmp.resolve("root/tmp"))) {
      assertFalse(s.findAny().isPresent(), "no temp file left behind");
    }
  }

  @Test
  void verifyFindsACorruptBlob() throws Exception {
    Cli cli = new Cli(tmp.resolve("root"));
    assertEquals(0, cli.run("import", rootfs().toString(), "box:1").exitCode());
    Path blobs = tmp.resolve("root/oci/blobs/sha256");
    Path victim;
    try (var s = Files.list(blobs)) {
      victim = s.filter(p -> {
        try {
          return Files.size(p) > 300;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 1;
    Files.write(victim, b);
    Cli.Result r = cli.run("verify");
    assertEquals(125, r.exitCode(), r::toString);
    assertTrue(r.err().contains(victim.getFileName().toString()), r.err());
  }
}
