package dev.jbuild.store.archive;

import static dev.jbuild.store.archive.ArchiveTestSupport.assertVerifies;
import static dev.jbuild.store.archive.ArchiveTestSupport.docker;
import static dev.jbuild.store.archive.ArchiveTestSupport.oci;
import static dev.jbuild.store.archive.ArchiveTestSupport.sourceStore;
import static dev.jbuild.store.archive.ArchiveTestSupport.store;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.testing.ImageValidator;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {
  @TempDir Path tmp;

  @Test
  void roundTripIntoAnEmptyStoreKeepsImageIds() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] archive = docker(src, "a:1", "a:latest", "localhost:5000/b/c:2");
    Store dst = store(tmp.resolve("dst"));

    LoadResult r = new ArchiveLoader(dst).load(new ByteArrayInputStream(archive));

    assertEquals(ArchiveFormat.DOCKER_ARCHIVE, r.format());
    assertEquals(List.of("Loaded image: a:1", "Loaded image: a:latest", "Loaded image: localhost:5000/b/c:2"),
        r.images().stream().flatMap(i -> i.describe().stream()).toList());
    for (String name : List.of("a:1", "a:latest", "localhost:5000/b/c:2")) {
      Image want = new Images(src).resolve(name);
      Image got = new Images(dst).resolve(name);
      assertEquals(want.id(), got.id(), name);
      assertEquals(want.config().rootfs().diffIds(), got.config().rootfs().diffIds());
      assertTrue(got.layers().stream().allMatch(l -> l.mediaType().equals(MediaType.OCI_LAYER_GZIP)));
      ImageValidator.validate(dst, got.manifestDescriptor());
    }
    assertVerifies(dst);
  }

  @Test
  void archiveHoldsManifestConfigsAndUncompressedLayers() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] archive = docker(src, "a:1", "a:latest");
    assertArrayEquals(archive, docker(src, "a:1", "a:latest"));
    Map<String, byte[]> files = TarBytes.files(archive);
    Image a = new Images(src).resolve("a:1");

    JsonNode manifest = OciJson.readTree(files.get("manifest.json"));
    assertEquals(1, manifest.size());
    assertEquals(a.id().hex() + ".json", manifest.get(0).get("Config").asText());
    assertEquals("[\"a:1\",\"a:latest\"]", manifest.get(0).get("RepoTags").toString());
    List<String> layers = new ArrayList<>();
    manifest.get(0).get("Layers").forEach(n -> layers.add(n.asText()));
    assertEquals(a.config().rootfs().diffIds().stream().map(d -> d.hex() + "/layer.tar").toList(), layers);
    assertArrayEquals(src.blobs().readAll(a.id(), 1 << 20), files.get(a.id().hex() + ".json"));
    for (Digest diffId : a.config().rootfs().diffIds()) {
      assertEquals(diffId, Digest.of(files.get(diffId.hex() + "/layer.tar")));
    }
    JsonNode repos = OciJson.readTree(files.get("repositories"));
    assertEquals(a.config().rootfs().diffIds().get(2).hex(), repos.get("a").get("latest").asText());
    List<String> names = TarBytes.read(archive).stream().map(TarBytes.Entry::name).toList();
    assertEquals(names.stream().sorted().toList(), names);
  }

  @Test
  void symlinkedDuplicateLayersLoad() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Image a = new Images(src).resolve("a:1");
    String first = a.config().rootfs().diffIds().get(0).hex() + "/layer.tar";
    List<TarBytes.Entry> entries = new ArrayList<>();
    for (TarBytes.Entry e : TarBytes.read(docker(src, "a:1"))) {
      if (e.name().equals("manifest.json")) {
        String m = new String(e.content()).replace("\"" + first + "\"", "\"dup/layer.tar\"");
        entries.add(TarBytes.file("manifest.json", m.getBytes()));
      } else {
        entries.add(e);
      }
    }
    entries.add(TarBytes.symlink("dup/layer.tar", "../" + first));
    Store dst = store(tmp.resolve("dst"));
    new ArchiveLoader(dst).load(new ByteArrayInputStream(TarBytes.write(entries)));
    assertEquals(a.id(), new Images(dst).resolve("a:1").id());
  }

  @Test
  void newerDockerLayoutWithBlobsAndBareTagUsesManifestJsonNames() throws Exception {
    // docker 25+ writes an OCI layout whose index.json says only "latest", plus a manifest.json
    Store src = sourceStore(tmp.resolve("src"));
    Image a = new Images(src).resolve("a:1");
    byte[] layout = OciArchiveTest.withIndexAnnotations(oci(src, "a:1"),
        Map.of(dev.jbuild.store.oci.Annotations.REF_NAME, "latest"));
    List<TarBytes.Entry> entries = new ArrayList<>(TarBytes.read(layout));
    String manifestJson = "[{\"Config\":\"blobs/sha256/" + a.id().hex() + "\",\"RepoTags\":[\"docker.io/x/y:3\"],"
        + "\"Layers\":[" + String.join(",", a.layers().stream().map(l -> "\"blobs/sha256/" + l.digest().hex() + "\"").toList())
        + "]}]";
    entries.add(TarBytes.file("manifest.json", manifestJson.getBytes()));
    Store dst = store(tmp.resolve("dst"));

    LoadResult r = new ArchiveLoader(dst).load(new ByteArrayInputStream(TarBytes.write(entries)));

    assertEquals(ArchiveFormat.DOCKER_ARCHIVE, r.format());
    assertEquals(List.of("Loaded image: x/y:3"), r.images().get(0).describe());
    Image got = new Images(dst).resolve("x/y:3");
    assertEquals(a.id(), got.id());
    // the layers were blobs of the archive already: kept byte for byte
    assertEquals(a.layers().stream().map(l -> l.digest()).toList(), got.layers().stream().map(l -> l.digest()).toList());
    ImageValidator.validate(dst, got.manifestDescriptor());
    assertVerifies(dst);
  }

  @Test
  void savingAnIndexSavesItsLinuxAmd64Image() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Image a = new Images(src).resolve("a:1");
    var idx = src.blobs().put(MediaType.OCI_INDEX, OciJson.write(Index.of(List.of(
        a.manifestDescriptor().withAnnotations(Map.of()).withPlatform(dev.jbuild.store.oci.Platform.LINUX_AMD64)))));
    src.layout().tag(dev.jbuild.store.ref.ImageRef.parse("multi:1"), idx);
    Store dst = store(tmp.resolve("dst"));
    new ArchiveLoader(dst).load(new ByteArrayInputStream(docker(src, "multi:1")));
    assertEquals(a.id(), new Images(dst).resolve("multi:1").id());
    Manifest m = new Images(dst).resolve("multi:1").manifest();
    assertEquals(3, m.layers().size());
  }

  @Test
  void dockerStyleConfigWithNullsAndExtraFieldsLoadsUnchanged() throws Exception {
    java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(layer)) {
      var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("etc/hostname");
      e.setSize(3);
      tar.putArchiveEntry(e);
      tar.write("box".getBytes());
      tar.closeArchiveEntry();
    }
    Digest diffId = Digest.of(layer.toByteArray());
    // the shape docker 20-24 writes: container_config, nulls, docker_version, fields jbuild does not model
    String config = """
        {"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,\
        "Env":["PATH=/bin"],"Cmd":null,"Image":"sha256:00","Volumes":null,"WorkingDir":"","Entrypoint":null,\
        "OnBuild":null,"Labels":null},"container":"abc","container_config":{"Cmd":["/bin/sh","-c","#(nop) x"]},\
        "created":"2023-01-02T03:04:05.123456789Z","docker_version":"20.10.24","history":[{"created":\
        "2023-01-02T03:04:05.123456789Z","created_by":"/bin/sh -c #(nop) ADD file:x in / "}],"os":"linux",\
        "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(diffId);
    byte[] cfg = config.getBytes();
    Digest id = Digest.of(cfg);
    String legacyId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    byte[] archive = TarBytes.write(List.of(
        TarBytes.file(id.hex() + ".json", cfg),
        TarBytes.file(legacyId + "/VERSION", "1.0".getBytes()),
        TarBytes.file(legacyId + "/json", "{\"id\":\"x\"}".getBytes()),
        TarBytes.file(legacyId + "/layer.tar", layer.toByteArray()),
        TarBytes.file("manifest.json", ("[{\"Config\":\"" + id.hex() + ".json\",\"RepoTags\":[\"legacy:1\"],"
            + "\"Layers\":[\"" + legacyId + "/layer.tar\"]}]").getBytes()),
        TarBytes.file("repositories", ("{\"legacy\":{\"1\":\"" + legacyId + "\"}}").getBytes())));
    Store dst = store(tmp.resolve("dst"));
    new ArchiveLoader(dst).load(new ByteArrayInputStream(archive));
    Image got = new Images(dst).resolve("legacy:1");
    assertEquals(id, got.id());
    assertArrayEquals(cfg, dst.blobs().readAll(id, 1 << 20));
    ImageValidator.validate(dst, got.manifestDescriptor());
    // config, layer, manifest: the legacy VERSION and json files leave no blobs behind
    try (var blobs = java.nio.file.Files.list(dst.root().blobs().resolve("sha256"))) {
      assertEquals(3, blobs.count());
    }
  }
}
