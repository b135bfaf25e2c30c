package dev.jbuild.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.OciSchemas;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image-spec v1.1.1 conformance data: its schemas judge every document jbuild writes, and
 * its test vectors check that schema + {@link OciRules} reject exactly what upstream's validator
 * rejects, and that jbuild's readers accept what upstream accepts.
 */
class OciConformanceTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  record Vector(String file, int index, String mediaType, String comment, boolean fail, boolean schemaOnlyFail,
      String document) {
    @Override
    public String toString() {
      return file + "#" + index + " (" + (fail ? "fail" : "pass") + ") " + comment;
    }
  }

  static List<Vector> vectors() throws IOException {
    List<Vector> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(Shared.conformance("oci-image-spec").resolve("test-vectors"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root = PLAIN.readTree(f.toFile());
        for (JsonNode c : root.path("cases")) {
          out.add(new Vector(f.getFileName().toString(), c.path("index").asInt(), root.path("mediaType").asText(),
              c.path("comment").asText(""), c.path("fail").asBoolean(), c.path("schemaOnlyFail").asBoolean(),
              c.path("document").asText()));
        }
      }
    }
    assertEquals(65, out.size(), "the README promises 65 test vectors");
    return out;
  }

  /** Schema (draft-04, formats asserted) plus OciRules: what upstream's validator decides. */
  static List<String> problems(String mediaType, String document) {
    List<String> problems = new ArrayList<>(OciSchemas.get().violations(mediaType, document));
    try {
      JsonNode tree = PLAIN.readTree(document);
      problems.addAll(OciRules.violations(MediaType.parse(mediaType), tree));
    } catch (JsonProcessingException e) {
      problems.add("not JSON");
    }
    return problems;
  }

  @TestFactory
  Stream<DynamicTest> schemaAndRulesMatchUpstream() throws IOException {
    return vectors().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
      List<String> problems = problems(v.mediaType(), v.document());
      assertEquals(v.fail(), !problems.isEmpty(), "problems found: " + problems);
    }));
  }

  @TestFactory
  Stream<DynamicTest> extraRulesAloneCatchWhatSchemasMiss() throws IOException {
    // the 4 vectors upstream rejects although plain schema checking passes them
    return vectors().stream().filter(v -> v.fail() && !v.schemaOnlyFail())
        .map(v -> DynamicTest.dynamicTest(v.toString(), () -> assertTrue(
            !OciRules.violations(MediaType.parse(v.mediaType()), PLAIN.readTree(v.document())).isEmpty())));
  }

  @TestFactory
  Stream<DynamicTest> schemasAssertFormats() throws IOException {
    // upstream's validator asserts "format": "uri", so ours must too (not only OciRules)
    return vectors().stream().filter(v -> v.fail() && !v.schemaOnlyFail() && v.document().contains("\"urls\""))
        .map(v -> DynamicTest.dynamicTest(v.toString(), () -> assertTrue(
            !OciSchemas.get().violations(v.mediaType(), v.document()).isEmpty())));
  }

  @TestFactory
  Stream<DynamicTest> readersAcceptWhatUpstreamAccepts() throws IOException {
    return vectors().stream().filter(v -> !v.fail()).map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
      byte[] bytes = v.document().getBytes(StandardCharsets.UTF_8);
      Class<?> type = modelType(v.mediaType());
      if (usesUnregisteredDigest(v.document())) {
        // jbuild stores and verifies sha256/384/512 only; others are refused by name, not silently
        OciFormatException e = assertThrows(OciFormatException.class, () -> OciJson.read(bytes, type));
        assertTrue(e.getMessage().contains("unsupported digest algorithm"), e.getMessage());
        return;
      }
      Object value = OciJson.read(bytes, type);
      // and what jbuild writes back is still valid
      byte[] written = OciJson.write(value);
      assertEquals(List.of(), problems(v.mediaType(), new String(written, StandardCharsets.UTF_8)));
      assertEquals(value, OciJson.read(written, type));
    }));
  }

  @TestFactory
  Stream<DynamicTest> readersRejectWhatOnlyTheExtraRulesCatch() throws IOException {
    return vectors().stream().filter(v -> v.fail() && !v.schemaOnlyFail())
        .map(v -> DynamicTest.dynamicTest(v.toString(), () -> assertThrows(OciFormatException.class,
            () -> OciJson.read(v.document().getBytes(StandardCharsets.UTF_8), modelType(v.mediaType())))));
  }

  @TestFactory
  Stream<DynamicTest> readersRejectWhatUpstreamRejects() throws IOException {
    // jbuild reads manifests without layers (OCI 1.1 artifacts, images FROM scratch with only
    // config changes), although the v1.1.1 schema wants at least one
    Set<String> acceptedOnPurpose = Set.of("image-manifest.json#5");
    return vectors().stream().filter(v -> v.fail() && !acceptedOnPurpose.contains(v.file() + "#" + v.index()))
        .map(v -> DynamicTest.dynamicTest(v.toString(), () -> assertThrows(OciFormatException.class,
            () -> OciJson.read(v.document().getBytes(StandardCharsets.UTF_8), modelType(v.mediaType())))));
  }

  @Test
  void everythingJbuildWritesIsValid(@TempDir Path tmp) throws IOException {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    List<Descriptor> images = List.of(
        RandomImages.image(store, 3, 4000, 1),
        RandomImages.image(store, 1, 10, 2, MediaType.OCI_LAYER_ZSTD),
        RandomImages.image(store, 2, 0, 3, MediaType.OCI_LAYER));
    int n = 0;
    for (Descriptor image : images) {
      store.layout().tag(ImageRef.parse("img" + n++ + ":1"), image);
      ImageValidator.validate(store, image);
      byte[] manifestBytes = store.blobs().readAll(image.digest(), OciJson.MAX_BYTES);
      assertValid(MediaType.OCI_MANIFEST, manifestBytes);
      Manifest m = OciJson.read(manifestBytes, Manifest.class);
      assertValid(MediaType.OCI_CONFIG, store.blobs().readAll(m.config().digest(), OciJson.MAX_BYTES));
      assertValid("application/vnd.oci.descriptor.v1+json", OciJson.write(m.config()));
    }
    Path oci = store.root().oci();
    assertValid(MediaType.OCI_LAYOUT_HEADER, Files.readAllBytes(oci.resolve("oci-layout")));
    assertValid(MediaType.OCI_INDEX, Files.readAllBytes(oci.resolve("index.json")));
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(oci.resolve("oci-layout")));
  }

  @Test
  void goldenFilesAreValid() throws IOException {
    assertValid(MediaType.OCI_MANIFEST, Files.readAllBytes(Path.of("src/test/resources/oci/golden/manifest.json")));
    assertValid(MediaType.OCI_CONFIG, Files.readAllBytes(Path.of("src/test/resources/oci/golden/config.json")));
    assertValid(MediaType.OCI_INDEX, Files.readAllBytes(Path.of("src/test/resources/oci/golden/index.json")));
  }

  private static void assertValid(MediaType type, byte[] json) {
    assertValid(type.value(), json);
  }

  private static void assertValid(String type, byte[] json) {
    List<String> p = problems(type, new String(json, StandardCharsets.UTF_8));
    if (!p.isEmpty()) {
      fail(type + " document is invalid: " + p + "\n" + new String(json, StandardCharsets.UTF_8));
    }
  }

  private static boolean usesUnregisteredDigest(String document) {
    return document.matches("(?s).*\"digest\"\\s*:\\s*\"(?!sha256:|sha384:|sha512:)[^\"]*\".*");
  }

  private static Class<?> modelType(String mediaType) {
    return switch (mediaType) {
      case "application/vnd.oci.image.manifest.v1+json" -> Manifest.class;
      case "application/vnd.oci.image.index.v1+json" -> Index.class;
      case "application/vnd.oci.image.config.v1+json" -> ImageConfig.class;
      case "application/vnd.oci.descriptor.v1+json" -> Descriptor.class;
      case "application/vnd.oci.layout.header.v1+json" -> OciLayoutHeader.class;
      default -> throw new IllegalArgumentException(mediaType);
    };
  }
}
