package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.RequiresTools;
import dev.jbuild.store.verify.Verifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImagePusher} and {@link ImagePuller} against Debian's docker-registry. */
@RequiresTools("docker-registry")
class ImageTransferIT {
  @TempDir Path tmp;

  /** Clients that fail the test instead of ever reaching Docker Hub. */
  static Registries registries(RegistryConfig config) {
    return new Registries(config, e -> {
      if (e.name().equals(RegistryEndpoint.DOCKER_HUB) || e.authority().endsWith("docker.io")) {
        throw new AssertionError("the test tried to reach " + e.base());
      }
      return new RegistryClient(e, CredentialProvider.anonymous(), ClientOptions.defaults());
    });
  }

  static void assertSameImage(Image expected, Image got) {
    assertEquals(expected.manifestDigest(), got.manifestDigest());
    assertEquals(expected.id(), got.id());
    assertEquals(expected.layers().stream().map(Descriptor::digest).toList(), got.layers().stream().map(Descriptor::digest).toList());
  }

  @Test
  void pushThenPullIntoAnEmptyStoreWithALayerLargeEnoughForChunks() throws IOException {
    try (DockerRegistryServer server = DockerRegistryServer.start(tmp.resolve("registry"));
        Registries registries = registries(RegistryConfig.EMPTY)) {
      Store a = Store.open(StoreRoot.of(tmp.resolve("a")));
      // one layer above the 64 MiB chunked-upload threshold
      Descriptor d = RandomImages.image(a, 1, 66 << 20, 3);
      Image big = new Images(a).read(d);
      ImageRef ref = ImageRef.parse(server.host() + "/big/img:1");
      Digest pushed = new ImagePusher(a, registries).push(big, ref);
      assertEquals(big.manifestDigest(), pushed);

      Store b = Store.open(StoreRoot.of(tmp.resolve("b")));
      Image got = new ImagePuller(b, registries).pull(ref, Platform.LINUX_AMD64);
      assertSameImage(big, got);
      ImageValidator.validate(b, got.manifestDescriptor());
      Verifier.Report r = new Verifier(b).verify();
      assertTrue(r.ok(), r.faults()::toString);
    }
  }

  @Test
  void dockerHubImagesResolveThroughALocalMirror() throws IOException {
    try (DockerRegistryServer mirror = DockerRegistryServer.start(tmp.resolve("mirror"));
        Registries plain = registries(RegistryConfig.EMPTY)) {
      Store a = Store.open(StoreRoot.of(tmp.resolve("a")));
      Image img = new Images(a).read(RandomImages.image(a, 2, 100_000, 5));
      new ImagePusher(a, plain).push(img, ImageRef.parse(mirror.host() + "/library/x:1"));

      RegistryConfig config = new RegistryConfig(Map.of("docker.io", List.of("http://" + mirror.host())), Set.of());
      List<String> sources = new CopyOnWriteArrayList<>();
      try (Registries viaMirror = registries(config)) {
        Store b = Store.open(StoreRoot.of(tmp.resolve("b")));
        Image got = new ImagePuller(b, viaMirror).pull(ImageRef.parse("docker.io/library/x:1"), Platform.LINUX_AMD64,
            new TransferListener() {
              @Override
              public void resolved(String source, Digest manifest) {
                sources.add(source);
              }
            });
        assertSameImage(img, got);
        assertEquals(List.of(mirror.host()), sources);
        assertEquals(img.manifestDigest(), new Images(b).resolve("x:1").manifestDigest());
      }
    }
  }
}
