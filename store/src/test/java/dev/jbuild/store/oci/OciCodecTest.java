package dev.jbuild.store.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link OciCodec}, the hand-written writer and binder behind {@link OciJson}, against the data-binding
 * mapper it replaced on the hot paths: the same bytes for every model value, the same values read back,
 * and the same messages for wrong types.
 */
class OciCodecTest {
  static List<Object> values() {
    Instant t = Instant.parse("2024-01-02T03:04:05Z");
    Descriptor full = new Descriptor(MediaType.OCI_MANIFEST, Digest.of("x"), 7, List.of("https://example.com/b"),
        Map.of("z", "1", "a", "2"), new Platform("arm64", "linux", "10.0", List.of("sse4"), "v8"),
        "application/vnd.example+json");
    List<Object> out = new ArrayList<>(List.of(
        OciJsonTest.manifest(), OciJsonTest.config(), OciJsonTest.index(),
        OciJsonTest.manifest().withSubject(full).withArtifactType(MediaType.OCI_EMPTY).withMediaType(null),
        OciJsonTest.index().withSubject(full).withMediaType(null),
        full, Descriptor.of(MediaType.OCI_LAYER, Digest.of("y"), 0),
        Platform.LINUX_AMD64, Platform.parse("linux/arm/v7"),
        ImageConfig.of(Platform.LINUX_AMD64), ImageConfig.of(new Platform("amd64", "linux", "1", List.of("f"), "v2")),
        ContainerConfig.EMPTY.withUser("u").withArgsEscaped(false).withHealthcheck(Healthcheck.none()),
        new Healthcheck(null, Duration.ofNanos(1), null, null, null, 0),
        HistoryEntry.layer(t, "RUN x").withAuthor("a").withComment("c"), HistoryEntry.empty(null, null),
        RootFs.of(List.of(Digest.of("a"), Digest.of("b"))), OciLayoutHeader.V1,
        List.of("a", "\u00e9\"\\\n\u0001/<>"), List.of(),
        new TreeMap<>(Map.of("k", "v", "A", "b")), new LinkedHashMap<>(Map.of("n", 1, "l", 1L << 40, "b", true))));
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("b", null);
    withNull.put("a", List.of(Map.of("x", Digest.of("q")), t, Duration.ofSeconds(2)));
    out.add(withNull);
    out.add(Descriptor.of(MediaType.OCI_CONFIG, Digest.of("c"), 1).withAnnotations(withNullValue()));
    return out;
  }

  private static Map<String, String> withNullValue() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("k", null);
    return m;
  }

  @Test
  void writesTheMappersBytes() {
    for (Object v : values()) {
      assertEquals(new String(OciJson.mapperWrite(v), StandardCharsets.UTF_8),
          new String(OciCodec.write(v), StandardCharsets.UTF_8), v.toString());
    }
  }

  @Test
  void bindsAsTheMapperDoes() throws IOException {
    for (Object v : values()) {
      if (v instanceof Map || v instanceof List) {
        continue;
      }
      byte[] bytes = OciJson.write(v);
      JsonNode tree = OciCodec.parse(bytes);
      assertEquals(OciJson.mapperBind(tree, v.getClass(), "x"), OciCodec.bind(tree, v.getClass()), v.toString());
      assertEquals(v, OciJson.read(bytes, v.getClass()));
    }
    for (String r : List.of("oci/docker/config.json", "oci/docker/manifest.json", "oci/docker/manifest-list.json")) {
      JsonNode tree = OciCodec.parse(OciJsonTest.resource(r));
      Class<?> type = r.endsWith("config.json") ? ImageConfig.class : r.endsWith("list.json") ? Index.class : Manifest.class;
      assertEquals(OciJson.mapperBind(tree, type, "x"), OciCodec.bind(tree, type), r);
      assertEquals(OciJson.mapperBind(tree, LinkedHashMap.class, "x"), OciCodec.bind(tree, LinkedHashMap.class), r);
    }
  }

  @Test
  void plainValuesReadAsTheMapperReadsThem() throws IOException {
    byte[] doc = "{\"s\":\"x\",\"i\":1,\"l\":12345678901,\"f\":1.5,\"t\":true,\"n\":null,\"a\":[1,{\"k\":[]}]}"
        .getBytes(StandardCharsets.UTF_8);
    JsonNode tree = OciCodec.parse(doc);
    assertEquals(OciJson.mapperBind(tree, Map.class, "x"), OciJson.read(doc, Map.class));
    assertEquals(OciJson.mapperBind(OciJson.readTree(doc), Map.class, "x"), OciJson.read(doc, LinkedHashMap.class));
  }

  @Test
  void wrongTypesAreNamedAsTheMapperNamedThem() {
    String cfg = "{\"mediaType\":\"a/b\",\"digest\":\"" + Digest.of("c") + "\",\"size\":1}";
    Map<String, Class<?>> cases = new LinkedHashMap<>();
    cases.put("{\"schemaVersion\":\"2\",\"config\":" + cfg + ",\"layers\":[]}", Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":{}}", Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[" + cfg.replace("\"a/b\"", "7") + "]}",
        Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[],\"annotations\":{\"k\":1}}", Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg.replace("}", ",\"urls\":\"x\"}") + ",\"layers\":[]}",
        Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg.replace("}", ",\"platform\":[]}") + ",\"layers\":[]}",
        Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg.replace("\"a/b\"", "\"nonsense\"") + ",\"layers\":[]}",
        Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg.replace("}", ",\"platform\":{\"os\":\"linux\"}}")
        + ",\"layers\":[]}", Manifest.class);
    cases.put("{\"schemaVersion\":2,\"config\":" + cfg + "}", Manifest.class);
    cases.put("{\"schemaVersion\":2,\"manifests\":[" + cfg + "],\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\"}",
        Index.class);
    String base = "\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}";
    cases.put("{" + base + ",\"config\":{\"Cmd\":\"sh\"}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"Cmd\":[1]}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"ArgsEscaped\":\"yes\"}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"Labels\":[]}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"Healthcheck\":{\"Interval\":\"30s\"}}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"Healthcheck\":{\"Retries\":-1}}}", ImageConfig.class);
    cases.put("{" + base + ",\"config\":{\"ExposedPorts\":[\"80/tcp\"]}}", ImageConfig.class);
    cases.put("{" + base + ",\"history\":[{\"empty_layer\":1}]}", ImageConfig.class);
    cases.put("{" + base + ",\"history\":{}}", ImageConfig.class);
    cases.put("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"tarball\"}}", ImageConfig.class);
    cases.put("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[3]}}",
        ImageConfig.class);
    cases.put("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"md5:x\"]}}",
        ImageConfig.class);
    cases.put("{\"architecture\":\"amd64\",\"os\":\"linux\"}", ImageConfig.class);
    for (Map.Entry<String, Class<?>> c : cases.entrySet()) {
      JsonNode tree = OciJson.readTree(c.getKey().getBytes(StandardCharsets.UTF_8));
      OciFormatException mapper = assertThrows(OciFormatException.class,
          () -> OciJson.mapperBind(tree, c.getValue(), OciJson.kind(c.getValue())), c.getKey());
      OciFormatException codec = assertThrows(OciFormatException.class,
          () -> OciJson.read(c.getKey().getBytes(StandardCharsets.UTF_8), c.getValue()), c.getKey());
      assertEquals(mapper.getMessage(), codec.getMessage(), c.getKey());
      assertEquals(mapper.getClass(), codec.getClass(), c.getKey());
    }
  }

  @Test
  void parserRefusesWhatTheMapperRefused() {
    for (String bad : List.of("{\"a\":1,\"a\":2}", "{} {}", "{\"a\":", "[1,]", "{'a':1}", "nul")) {
      OciFormatException e = assertThrows(OciFormatException.class,
          () -> OciJson.readTree(bad.getBytes(StandardCharsets.UTF_8)), bad);
      assertEquals(true, e.getMessage().startsWith("document is not valid JSON: "), e.getMessage());
    }
    OciFormatException e = assertThrows(OciFormatException.class, () -> OciJson.readTree(" \n".getBytes()));
    assertEquals("document is empty", e.getMessage());
  }

  @Test
  void unknownTypesFallBackToTheMapper() {
    record Other(String name, List<Integer> n) {}
    Other o = new Other("x", List.of(1, 2));
    assertThrows(OciCodec.Unsupported.class, () -> OciCodec.write(o));
    assertArrayEquals(OciJson.mapperWrite(o), OciJson.write(o));
    assertEquals("{\"name\":\"x\",\"n\":[1,2]}", new String(OciJson.write(o), StandardCharsets.UTF_8));
    assertThrows(OciCodec.Unsupported.class, () -> OciCodec.write(List.of(1.5)));
    assertEquals("[1.5]", new String(OciJson.write(List.of(1.5)), StandardCharsets.UTF_8));
    assertEquals(Arrays.asList(1, null), OciJson.read("{\"a\":[1,null]}".getBytes(), Map.class).get("a"));
  }
}
