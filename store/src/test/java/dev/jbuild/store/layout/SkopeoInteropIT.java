package dev.jbuild.store.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.RequiresTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image) reads the store's layout by the names jbuild gives: {@code oci:<root>/oci:<name>}
 * works for the name the user typed, and a copy keeps the manifest digest.
 */
@RequiresTools("skopeo")
class SkopeoInteropIT {
  @TempDir Path tmp;

  @Test
  void skopeoFindsImagesByTheNamesUsersType() throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Descriptor image = RandomImages.image(store, 2, 5000, 7);
    Descriptor other = RandomImages.image(store, 1, 100, 8);
    store.layout().tag(ImageRef.parse("myimg:1"), image);
    store.layout().tag(ImageRef.parse("localhost:5000/team/app:v2"), image);
    store.layout().tag(ImageRef.parse("docker.io/library/busybox"), other);
    Manifest m = OciJson.read(store.blobs().readAll(image.digest(), OciJson.MAX_BYTES), Manifest.class);

    for (String name : List.of("myimg:1", "localhost:5000/team/app:v2")) {
      JsonNode info = new ObjectMapper().readTree(skopeo("inspect", "oci:" + store.root().oci() + ":" + name));
      assertEquals(image.digest().toString(), info.path("Digest").asText(), name);
      List<String> layers = new ArrayList<>();
      info.path("Layers").forEach(l -> layers.add(l.asText()));
      assertEquals(m.layers().stream().map(l -> l.digest().toString()).toList(), layers, name);
      assertEquals("amd64", info.path("Architecture").asText());
    }
    JsonNode busybox = new ObjectMapper().readTree(skopeo("inspect", "oci:" + store.root().oci() + ":busybox:latest"));
    assertEquals(other.digest().toString(), busybox.path("Digest").asText());
  }

  @Test
  void skopeoCopyKeepsTheManifestDigestBothWays() throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Descriptor image = RandomImages.image(store, 3, 20000, 9);
    store.layout().tag(ImageRef.parse("myimg:1"), image);
    Path out = tmp.resolve("out");
    skopeo("copy", "oci:" + store.root().oci() + ":myimg:1", "oci:" + out + ":x");
    Index copied = OciJson.read(Files.readAllBytes(out.resolve("index.json")), Index.class);
    assertEquals(1, copied.manifests().size());
    assertEquals(image.digest(), copied.manifests().get(0).digest());
    Path copiedManifest = out.resolve("blobs/sha256").resolve(image.digest().hex());
    assertEquals(image.digest(), Digest.of(Files.readAllBytes(copiedManifest)));

    // and back into a fresh store, where jbuild finds and validates it
    Store second = Store.open(StoreRoot.of(tmp.resolve("second")));
    skopeo("copy", "oci:" + out + ":x", "oci:" + second.root().oci() + ":back:1");
    Descriptor back = second.layout().resolve("back:1").orElseThrow();
    assertEquals(image.digest(), back.digest());
    ImageValidator.validate(second, back);
  }

  private String skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "skopeo timed out");
      String text = new String(output, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + text);
      return text;
    } finally {
      p.destroyForcibly();
    }
  }
}
