package dev.jbuild.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A multi-platform image in an OCI layout: {@code fetch(ref, platform)} takes the platform asked for. */
class LayoutImagePlatformTest {
  @TempDir Path tmp;

  private static Descriptor blob(Path layout, MediaType type, byte[] bytes) throws IOException {
    Digest d = Digest.of(bytes);
    Path p = layout.resolve("blobs/sha256").resolve(d.hex());
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    return Descriptor.of(type, d, bytes.length);
  }

  /** A layout whose one tagged entry is an index of an amd64 and an arm64/v8 image (no layers). */
  private Path twoPlatformLayout() throws IOException {
    Path layout = tmp.resolve("layout");
    List<Descriptor> manifests = new ArrayList<>();
    for (Platform p : List.of(Platform.LINUX_AMD64, Platform.parse("linux/arm64/v8"))) {
      Descriptor config = blob(layout, MediaType.OCI_CONFIG, OciJson.write(ImageConfig.of(p)));
      Descriptor m = blob(layout, MediaType.OCI_MANIFEST, OciJson.write(Manifest.of(config, List.of())));
      manifests.add(m.withPlatform(p));
    }
    Descriptor index = blob(layout, MediaType.OCI_INDEX, OciJson.write(Index.of(manifests)));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
    Files.write(layout.resolve("index.json"),
        OciJson.write(Index.of(List.of(index.withAnnotations(Map.of(Annotations.REF_NAME, "multi"))))));
    return layout;
  }

  @Test
  void picksTheAskedPlatformFromAnIndex() throws IOException {
    Path layout = twoPlatformLayout();
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    LayoutImage.Ref ref = LayoutImage.Ref.parse("oci-layout://" + layout + ":multi", tmp);
    Image amd = new LayoutImage(store).fetch(ref);
    assertEquals("amd64", amd.config().architecture());
    Image arm = new LayoutImage(store).fetch(ref, Platform.parse("linux/arm64/v8"));
    assertEquals("arm64", arm.config().architecture());
    assertEquals("v8", arm.config().platform().variant());
    ArchiveException none = assertThrows(ArchiveException.class,
        () -> new LayoutImage(store).fetch(ref, Platform.parse("linux/s390x")));
    assertTrue(none.describe().contains("no linux/s390x manifest"), none.describe());
  }
}
