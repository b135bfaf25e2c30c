package dev.jbuild.store.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.RootFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator must catch each kind of broken image, or tests that end with it prove nothing. */
class ImageValidatorTest {
  @TempDir Path tmp;
  Store store;
  Descriptor image;
  Manifest manifest;
  ImageConfig config;

  @BeforeEach
  void open() throws IOException {
    store = Store.open(StoreRoot.of(tmp.resolve("root")));
    image = RandomImages.image(store, 2, 2000, 42);
    manifest = OciJson.read(store.blobs().readAll(image.digest(), OciJson.MAX_BYTES), Manifest.class);
    config = OciJson.read(store.blobs().readAll(manifest.config().digest(), OciJson.MAX_BYTES), ImageConfig.class);
  }

  @Test
  void acceptsRandomImagesOfEveryCompression() throws IOException {
    ImageValidator.validate(store, image);
    ImageValidator.validate(store, RandomImages.image(store, 2, 3000, 1, MediaType.OCI_LAYER_ZSTD));
    ImageValidator.validate(store, RandomImages.image(store, 2, 3000, 1, MediaType.OCI_LAYER));
  }

  @Test
  void catchesATamperedLayer() throws IOException {
    Path layer = store.blobs().path(manifest.layers().get(1).digest());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(layer, bytes);
    assertFails(image, "layers[1]");
  }

  @Test
  void catchesAWrongDiffId() throws IOException {
    ImageConfig swapped = config.withRootFs(RootFs.of(config.rootfs().diffIds().reversed()));
    assertFails(rewrite(swapped), "is not diff_ids[0]");
  }

  @Test
  void catchesHistoryThatDoesNotMatchTheLayers() throws IOException {
    ImageConfig more = config.withHistoryEntry(HistoryEntry.layer(null, "phantom layer"));
    assertFails(rewrite(more), "3 history entries without empty_layer");
  }

  @Test
  void catchesAWrongSizeAndAMissingBlob() throws IOException {
    Descriptor wrongSize = Descriptor.of(image.mediaType(), image.digest(), image.size() + 1);
    assertFails(wrongSize, "descriptor says");
    Files.delete(store.blobs().path(manifest.layers().get(0).digest()));
    assertFails(image, "blob missing");
  }

  private Descriptor rewrite(ImageConfig c) throws IOException {
    Descriptor cd = store.blobs().put(MediaType.OCI_CONFIG, OciJson.write(c));
    return store.blobs().put(MediaType.OCI_MANIFEST, OciJson.write(manifest.withConfig(cd)));
  }

  private void assertFails(Descriptor d, String expected) {
    AssertionError e = assertThrows(AssertionError.class, () -> ImageValidator.validate(store, d));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
