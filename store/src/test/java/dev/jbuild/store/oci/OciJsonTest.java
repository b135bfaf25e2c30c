package dev.jbuild.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.testing.OciGolden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OciJsonTest {
  static final Digest CONFIG = Digest.of("config");
  static final Digest LAYER1 = Digest.of("layer1");
  static final Digest LAYER2 = Digest.of("layer2");

  static Manifest manifest() {
    return Manifest.of(Descriptor.of(MediaType.OCI_CONFIG, CONFIG, 1234),
            List.of(Descriptor.of(MediaType.OCI_LAYER_GZIP, LAYER1, 100),
                Descriptor.of(MediaType.OCI_LAYER_ZSTD, LAYER2, 0)))
        .withAnnotations(Map.of("org.opencontainers.image.title", "t", "b.key", "v"));
  }

  static ImageConfig config() {
    Instant t = Instant.parse("2024-03-04T05:06:07.123456789Z");
    return ImageConfig.of(Platform.parse("linux/arm64/v8"))
        .withCreated(t)
        .withAuthor("jbuild tests")
        .withConfig(ContainerConfig.EMPTY
            .withUser("1000:1000")
            .withExposedPort("8080/tcp")
            .withExposedPort("53/udp")
            .withEnv("PATH", "/usr/bin:/bin")
            .withEnv("A", "x=y")
            .withEntrypoint(List.of("/entry", "--flag"))
            .withCmd(List.of("serve"))
            .withVolume("/data")
            .withWorkingDir("/srv")
            .withLabel("z", "last")
            .withLabel("a", "first")
            .withStopSignal("SIGTERM")
            .withArgsEscaped(true)
            .withHealthcheck(new Healthcheck(List.of("CMD", "true"), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofMillis(1500), Duration.ofSeconds(2), 3))
            .withOnBuild(List.of("RUN make"))
            .withShell(List.of("/bin/bash", "-c")))
        .withLayer(LAYER1, HistoryEntry.layer(t, "COPY . /srv"))
        .withHistoryEntry(HistoryEntry.empty(t.plusSeconds(1), "ENV A=x=y").withComment("buildkit.dockerfile.v0"))
        .withLayer(LAYER2, HistoryEntry.layer(t.plusSeconds(2), "RUN make").withAuthor("me"));
  }

  static Index index() {
    return Index.of(List.of(
            Descriptor.of(MediaType.OCI_MANIFEST, Digest.of("m1"), 500).withPlatform(Platform.LINUX_AMD64),
            Descriptor.of(MediaType.OCI_MANIFEST, Digest.of("m2"), 501).withPlatform(Platform.parse("linux/arm/v7"))
                .withAnnotations(Map.of(Annotations.REF_NAME, "x:1"))))
        .withAnnotations(Map.of("k", "v"));
  }

  @Test
  void manifestBytesAreGoldenAndRoundTrip() throws IOException {
    byte[] bytes = OciJson.write(manifest());
    OciGolden.assertMatches("oci/golden/manifest.json", bytes);
    assertEquals(manifest(), OciJson.read(bytes, Manifest.class));
  }

  @Test
  void configBytesAreGoldenAndRoundTrip() throws IOException {
    byte[] bytes = OciJson.write(config());
    OciGolden.assertMatches("oci/golden/config.json", bytes);
    assertEquals(config(), OciJson.read(bytes, ImageConfig.class));
  }

  @Test
  void indexBytesAreGoldenAndRoundTrip() throws IOException {
    byte[] bytes = OciJson.write(index());
    OciGolden.assertMatches("oci/golden/index.json", bytes);
    assertEquals(index(), OciJson.read(bytes, Index.class));
  }

  @Test
  void canonicalBytesAreCompactWithoutTrailingNewline() {
    String s = new String(OciJson.write(manifest()), StandardCharsets.UTF_8);
    assertFalse(s.contains("\n") || s.contains(" "), s);
    assertTrue(s.startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"), s);
    // size 0 is a value, not an absent field
    assertTrue(s.contains("\"size\":0"), s);
  }

  @Test
  void stringSetsAndDurationsUseDockerWireForms() {
    String s = new String(OciJson.write(config()), StandardCharsets.UTF_8);
    assertTrue(s.contains("\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}}"), s);
    assertTrue(s.contains("\"Volumes\":{\"/data\":{}}"), s);
    assertTrue(s.contains("\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":30000000000,\"Timeout\":5000000000,"
        + "\"StartPeriod\":1500000000,\"StartInterval\":2000000000,\"Retries\":3}"), s);
    assertTrue(s.contains("\"created\":\"2024-03-04T05:06:07.123456789Z\""), s);
    assertTrue(s.contains("\"Labels\":{\"a\":\"first\",\"z\":\"last\"}"), s);
  }

  @Test
  void optionalFieldsAreLeftOut() {
    ImageConfig minimal = ImageConfig.of(Platform.LINUX_AMD64);
    assertEquals("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        new String(OciJson.write(minimal), StandardCharsets.UTF_8));
    assertEquals("{\"created_by\":\"x\"}", new String(OciJson.write(HistoryEntry.layer(null, "x")), StandardCharsets.UTF_8));
    assertEquals("{\"created_by\":\"x\",\"empty_layer\":true}",
        new String(OciJson.write(HistoryEntry.empty(null, "x")), StandardCharsets.UTF_8));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
        new String(OciJson.write(Index.of(List.of())), StandardCharsets.UTF_8));
  }

  @Test
  void readsDockerSchema2Manifest() throws IOException {
    Manifest m = OciJson.read(resource("oci/docker/manifest.json"), Manifest.class);
    assertEquals(MediaType.DOCKER_MANIFEST, m.mediaType());
    assertEquals(MediaType.DOCKER_CONFIG, m.config().mediaType());
    assertEquals(2, m.layers().size());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, m.layers().get(0).mediaType());
    assertEquals(2220094, m.layers().get(0).size());
    // written back in canonical form, it reads as the same value
    assertEquals(m, OciJson.read(OciJson.write(m), Manifest.class));
  }

  @Test
  void readsDockerManifestList() throws IOException {
    Index i = OciJson.read(resource("oci/docker/manifest-list.json"), Index.class);
    assertEquals(MediaType.DOCKER_MANIFEST_LIST, i.mediaType());
    assertEquals(List.of("linux/amd64", "linux/arm/v7"),
        i.manifests().stream().map(d -> d.platform().toString()).toList());
  }

  @Test
  void readsDockerConfigWithExtensions() throws IOException {
    ImageConfig c = OciJson.read(resource("oci/docker/config.json"), ImageConfig.class);
    ContainerConfig cc = c.configOrEmpty();
    assertEquals("nobody", cc.user());
    assertEquals(Set.of("53/udp", "80/tcp"), cc.exposedPorts());
    assertEquals("a=b", cc.envValue("GREETING"));
    assertEquals(List.of("sh", "-c", "echo $GREETING"), cc.cmd());
    assertEquals(List.of(), cc.entrypoint());
    assertEquals(Duration.ofSeconds(30), cc.healthcheck().interval());
    assertEquals(Duration.ofMillis(1500), cc.healthcheck().startPeriod());
    assertNull(cc.healthcheck().startInterval());
    assertEquals(3, cc.healthcheck().retries());
    assertEquals(List.of("RUN echo child"), cc.onBuild());
    assertEquals(List.of("/bin/sh", "-c"), cc.shell());
    assertEquals(Map.of("org.example.a", "1", "org.example.b", "2"), cc.labels());
    assertTrue(cc.argsEscaped());
    assertEquals(Set.of("/data"), cc.volumes());
    assertEquals(3, c.history().size());
    assertTrue(c.history().get(1).emptyLayer());
    assertEquals(Instant.parse("2023-05-20T06:00:00Z"), c.history().get(2).created());
    assertEquals(2, c.nonEmptyHistoryCount());
    assertEquals(2, c.rootfs().diffIds().size());
    assertEquals(c, OciJson.read(OciJson.write(c), ImageConfig.class));
  }

  @Test
  void withMethodsReturnNewValues() {
    ContainerConfig a = ContainerConfig.EMPTY.withEnv("K", "1");
    ContainerConfig b = a.withEnv("K", "2").withEnv("L", "3");
    assertEquals(List.of("K=1"), a.env());
    assertEquals(List.of("K=2", "L=3"), b.env());
    Manifest m = manifest();
    Manifest m2 = m.withLayer(Descriptor.of(MediaType.OCI_LAYER, Digest.of("x"), 1));
    assertEquals(2, m.layers().size());
    assertEquals(3, m2.layers().size());
    assertNotEquals(m, m2);
  }

  @Test
  void errorsNameTheDocumentAndField() {
    OciFormatException e = assertThrows(InvalidManifestException.class, () -> OciJson.read(
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:00\",\"size\":1},\"layers\":[]}"
            .getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertTrue(e.getMessage().startsWith("invalid image manifest: config.digest: "), e.getMessage());

    e = assertThrows(InvalidManifestException.class, () -> OciJson.read(
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + CONFIG + "\",\"size\":\"12\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertEquals("invalid image manifest: config.size: want an integer", e.getMessage());

    e = assertThrows(InvalidConfigException.class, () -> OciJson.read(
        "{\"architecture\":\"amd64\",\"os\":123,\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8), ImageConfig.class));
    assertEquals("invalid image config: os: want a string", e.getMessage());

    e = assertThrows(InvalidManifestException.class, () -> OciJson.read(
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + CONFIG + "\",\"size\":1},"
            + "\"layers\":[],\"subject\":\"" + CONFIG + "\"}").getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertEquals("invalid image manifest: subject: want an object", e.getMessage());

    e = assertThrows(InvalidManifestException.class, () -> OciJson.read(
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + CONFIG + "\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertEquals("invalid image manifest: config: missing size", e.getMessage());

    e = assertThrows(InvalidConfigException.class, () -> OciJson.read(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"NOEQUALS\"]},\"rootfs\":{\"type\":\"layers\"}}"
            .getBytes(StandardCharsets.UTF_8), ImageConfig.class));
    assertTrue(e.getMessage().contains("config.Env[0]") && e.getMessage().contains("KEY=value"), e.getMessage());

    e = assertThrows(InvalidManifestException.class, () -> OciJson.read(
        "{\"schemaVersion\":1,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertTrue(e.getMessage().contains("schema 1"), e.getMessage());

    e = assertThrows(InvalidManifestException.class,
        () -> OciJson.read(OciJson.write(index()), Manifest.class));
    assertTrue(e.getMessage().contains("is an index"), e.getMessage());

    e = assertThrows(InvalidManifestException.class,
        () -> OciJson.read("{\"schemaVersion\":2,".getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertTrue(e.getMessage().startsWith("image manifest is not valid JSON"), e.getMessage());

    e = assertThrows(InvalidManifestException.class,
        () -> OciJson.read("{\"schemaVersion\":2,\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8), Manifest.class));
    assertTrue(e.getMessage().contains("Duplicate field"), e.getMessage());

    e = assertThrows(InvalidConfigException.class, () -> OciJson.read(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"yesterday\",\"rootfs\":{\"type\":\"layers\"}}"
            .getBytes(StandardCharsets.UTF_8), ImageConfig.class));
    assertTrue(e.getMessage().contains("created") && e.getMessage().contains("RFC 3339"), e.getMessage());
  }

  @Test
  void documentsOverTheCapAreRefused() {
    byte[] big = new byte[OciJson.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    OciFormatException e = assertThrows(InvalidManifestException.class, () -> OciJson.read(big, Manifest.class));
    assertTrue(e.getMessage().contains("4 MiB"), e.getMessage());
  }

  @Test
  void constructorsValidate() {
    assertThrows(InvalidConfigException.class, () -> ContainerConfig.EMPTY.withEnv(List.of("=x")));
    assertThrows(InvalidConfigException.class, () -> new RootFs("tarball", List.of()));
    assertThrows(InvalidManifestException.class, () -> Manifest.of(null, List.of()));
    assertThrows(InvalidManifestException.class, () -> manifest().withMediaType(MediaType.OCI_INDEX));
    assertThrows(InvalidConfigException.class, () -> ImageConfig.of(Platform.LINUX_AMD64).withRootFs(null));
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = OciJsonTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }
}
