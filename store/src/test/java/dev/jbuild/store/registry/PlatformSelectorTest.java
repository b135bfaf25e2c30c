package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.Platform;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlatformSelectorTest {
  static String entry(String id, String platform) {
    return "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + Digest.of(id) + "\",\"size\":" + id.length()
        + (platform == null ? "" : ",\"platform\":" + platform) + "}";
  }

  static final byte[] INDEX = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
      + entry("amd64", "{\"architecture\":\"amd64\",\"os\":\"linux\"}") + ","
      + entry("arm64", "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}") + ","
      + entry("armv6", "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}") + ","
      + entry("armv5", "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v5\"}") + ","
      + entry("win", "{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763.1\"}") + ","
      + entry("attest", "{\"architecture\":\"unknown\",\"os\":\"unknown\"}")
      + "]}").getBytes(StandardCharsets.UTF_8);

  static Digest pick(String platform) {
    return PlatformSelector.select(INDEX, Platform.parse(platform)).digest();
  }

  @Test
  void picksByOsAndArchitecture() {
    assertEquals(Digest.of("amd64"), pick("linux/amd64"));
    assertEquals(Digest.of("win"), pick("windows/amd64"));
    Descriptor d = PlatformSelector.select(INDEX, Platform.LINUX_AMD64);
    assertEquals("linux/amd64", d.platform().toString());
    assertEquals(5, d.size());
  }

  @Test
  void variantDefaultsAndFallbacks() {
    // arm64 without a variant is v8
    assertEquals(Digest.of("arm64"), pick("linux/arm64"));
    assertEquals(Digest.of("arm64"), pick("linux/arm64/v8"));
    // arm/v7 (the default arm) runs the best lower variant
    assertEquals(Digest.of("armv6"), pick("linux/arm"));
    assertEquals(Digest.of("armv6"), pick("linux/arm/v7"));
    assertEquals(Digest.of("armv5"), pick("linux/arm/v5"));
    assertTrue(PlatformSelector.matches(Platform.parse("linux/amd64/v3"), Platform.LINUX_AMD64));
    assertFalse(PlatformSelector.matches(Platform.LINUX_AMD64, Platform.parse("linux/amd64/v3")));
  }

  @Test
  void missingPlatformListsTheAvailableOnes() {
    PlatformNotFoundException e = assertThrows(PlatformNotFoundException.class, () -> pick("linux/s390x"));
    assertEquals("no manifest for linux/s390x in the index (available: linux/amd64, linux/arm64/v8, linux/arm/v6, "
        + "linux/arm/v5, windows/amd64)", e.getMessage());
    assertThrows(PlatformNotFoundException.class, () -> pick("linux/arm/v4"));
  }

  @Test
  void readsDockerManifestLists() {
    byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{\"mediaType\":\""
        + MediaType.DOCKER_MANIFEST + "\",\"digest\":\"" + Digest.of("x") + "\",\"size\":7,\"platform\":{\"architecture\":\"amd64\","
        + "\"os\":\"linux\",\"os.features\":[\"sse4\"]}}]}").getBytes(StandardCharsets.UTF_8);
    Descriptor d = PlatformSelector.select(list, Platform.LINUX_AMD64);
    assertEquals(MediaType.DOCKER_MANIFEST, d.mediaType());
    assertEquals(java.util.List.of("sse4"), d.platform().osFeatures());
  }

  @Test
  void rejectsNonIndexes() {
    assertThrows(dev.jbuild.store.JbuildException.class,
        () -> PlatformSelector.manifests("{\"layers\":[]}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(dev.jbuild.store.JbuildException.class,
        () -> PlatformSelector.manifests("not json".getBytes(StandardCharsets.UTF_8)));
  }
}
