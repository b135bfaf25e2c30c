package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.FakeRegistry;
import dev.jbuild.store.testing.FakeRegistry.Fault;
import dev.jbuild.store.testing.FakeRegistry.FaultKind;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.verify.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull and push orchestration against the in-process {@link FakeRegistry}. */
class ImagePullPushTest {
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(3));

  @TempDir Path tmp;
  FakeRegistry registry;
  final List<Registries> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    registry = FakeRegistry.start();
  }

  @AfterEach
  void tearDown() {
    opened.forEach(Registries::close);
    registry.close();
  }

  Store store(String name) throws IOException {
    return Store.open(StoreRoot.of(tmp.resolve(name)));
  }

  /** Clients that fail the test instead of ever reaching Docker Hub. */
  Registries registries(RegistryConfig config) {
    Registries r = new Registries(config, e -> {
      if (e.name().equals(RegistryEndpoint.DOCKER_HUB) || e.authority().endsWith("docker.io")) {
        throw new AssertionError("the test tried to reach " + e.base());
      }
      return new RegistryClient(e, CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST));
    });
    opened.add(r);
    return r;
  }

  Registries registries() {
    return registries(RegistryConfig.EMPTY);
  }

  ImageRef ref(String repoAndTag) {
    return ImageRef.parse(registry.host() + "/" + repoAndTag);
  }

  /** A random image, tagged in a store. */
  Image source(Store store, String name, long seed) throws IOException {
    Descriptor d = RandomImages.image(store, 3, 70_000, seed);
    store.layout().tag(ImageRef.parse(name), d);
    return new Images(store).resolve(name);
  }

  static void assertVerified(Store store) throws IOException {
    Verifier.Report report = new Verifier(store).verify();
    assertTrue(report.ok(), () -> "store faults: " + report.faults());
  }

  static void assertNoLeftovers(Store store) throws IOException {
    try (Stream<Path> s = Files.list(store.root().tmp())) {
      List<Path> left = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      assertEquals(List.of(), left, "temp files left behind");
    }
  }

  @Test
  void pushThenPullIntoAnEmptyStoreGivesIdenticalDigests() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 7);
    Digest pushed = new ImagePusher(a, registries()).push(img, ref("team/app:1"));
    assertEquals(img.manifestDigest(), pushed);
    assertArrayEquals(a.blobs().readAll(img.manifestDigest(), 1 << 20), registry.manifest("team/app", "1").orElseThrow());

    Store b = store("b");
    Image got = new ImagePuller(b, registries()).pull(ref("team/app:1"), Platform.LINUX_AMD64);
    assertEquals(img.manifestDigest(), got.manifestDigest());
    assertEquals(img.id(), got.id());
    assertEquals(img.layers().stream().map(Descriptor::digest).toList(), got.layers().stream().map(Descriptor::digest).toList());
    assertEquals(img.manifestDigest(), new Images(b).resolve(registry.host() + "/team/app:1").manifestDigest());
    ImageValidator.validate(b, got.manifestDescriptor());
    assertVerified(b);
  }

  @Test
  void pullSkipsBlobsTheStoreHas() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 8);
    new ImagePusher(a, registries()).push(img, ref("team/app:1"));
    registry.clearLog();
    List<String> events = new CopyOnWriteArrayList<>();
    TransferListener l = new TransferListener() {
      @Override
      public void skipped(Descriptor blob, Kind kind, Skip why) {
        events.add(kind + " " + why);
      }
    };
    // pulling into the store the image came from needs no blob at all
    new ImagePuller(a, registries()).pull(ref("team/app:2").withTag("1"), Platform.LINUX_AMD64, l);
    assertEquals(0, registry.count("GET", "/v2/team/app/blobs/.*"));
    assertEquals(List.of("CONFIG EXISTS", "LAYER EXISTS", "LAYER EXISTS", "LAYER EXISTS"), events.stream().sorted().toList());
  }

  @Test
  void pushSkipsBlobsTheRepositoryHasAndMountsFromKnownRepositories() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 9);
    new ImagePusher(a, registries()).push(img, ref("base/img:1"));
    assertEquals(4, registry.count("PUT", "/v2/base/img/blobs/uploads/.*"));

    // the same image to the same repository: every blob exists, nothing is uploaded
    registry.clearLog();
    new ImagePusher(a, registries()).push(img, ref("base/img:2"));
    assertEquals(0, registry.count("POST", ".*"));

    // to another repository of the same registry: mounted from the one the store knows has them
    registry.clearLog();
    List<String> events = new CopyOnWriteArrayList<>();
    new ImagePusher(a, registries()).push(img, ref("team/app:1"), new TransferListener() {
      @Override
      public void skipped(Descriptor blob, Kind kind, Skip why) {
        events.add(why.toString());
      }
    });
    assertEquals(4, registry.count("POST", "/v2/team/app/blobs/uploads/\\?mount=.*from=base%2Fimg"), registry.requests().toString());
    assertEquals(0, registry.count("PUT", "/v2/team/app/blobs/uploads/.*"));
    assertEquals(List.of("MOUNTED", "MOUNTED", "MOUNTED", "MOUNTED"), events);

    // a pulled image remembers where it came from too
    Store b = store("b");
    Image pulled = new ImagePuller(b, registries()).pull(ref("team/app:1"), Platform.LINUX_AMD64);
    assertEquals(java.util.Optional.of("team/app"),
        new BlobSources(b).mountSource(pulled.id(), registry.host(), "other/repo"));
    registry.clearLog();
    new ImagePusher(b, registries()).push(pulled, ref("other/repo:x"));
    assertEquals(4, registry.count("POST", "/v2/other/repo/blobs/uploads/\\?mount=.*from=team%2Fapp"));
  }

  /** A Docker schema 2 image as a registry would serve it, with formatting jbuild would never write. */
  Digest putDockerImage(Store scratch, String repo, String tag, long seed, String arch) throws IOException {
    Image img = new Images(scratch).read(RandomImages.image(scratch, 2, 20_000, seed));
    StringBuilder json = new StringBuilder("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaType.DOCKER_MANIFEST + "\",\n");
    byte[] config = scratch.blobs().readAll(img.id(), 1 << 20);
    registry.putBlob(repo, config);
    json.append("   \"config\": {\"mediaType\": \"").append(MediaType.DOCKER_CONFIG).append("\", \"size\": ")
        .append(config.length).append(", \"digest\": \"").append(img.id()).append("\"},\n   \"layers\": [");
    for (int i = 0; i < img.layers().size(); i++) {
      Descriptor l = img.layers().get(i);
      registry.putBlob(repo, scratch.blobs().readAll(l.digest(), 1 << 20));
      json.append(i == 0 ? "\n" : ",\n").append("      {\"mediaType\": \"").append(MediaType.DOCKER_LAYER_GZIP)
          .append("\", \"size\": ").append(l.size()).append(", \"digest\": \"").append(l.digest()).append("\"}");
    }
    json.append("\n   ]\n}");
    return registry.putManifest(repo, tag, MediaType.DOCKER_MANIFEST.toString(), json.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dockerSchema2ManifestsAreStoredUnchangedAndPushBackIdentically() throws IOException {
    Store scratch = store("scratch");
    Digest served = putDockerImage(scratch, "lib/dock", "v1", 11, "amd64");
    Store b = store("b");
    Image got = new ImagePuller(b, registries()).pull(ref("lib/dock:v1"), Platform.LINUX_AMD64);
    assertEquals(served, got.manifestDigest());
    assertEquals(MediaType.DOCKER_MANIFEST, got.manifestDescriptor().mediaType());
    assertArrayEquals(registry.manifest("lib/dock", "v1").orElseThrow(), b.blobs().readAll(served, 1 << 20));
    ImageValidator.validate(b, got.manifestDescriptor());
    assertVerified(b);

    Digest pushed = new ImagePusher(b, registries()).push(new Images(b).resolve(registry.host() + "/lib/dock:v1"), ref("copy/dock:v1"));
    assertEquals(served, pushed);
    assertArrayEquals(registry.manifest("lib/dock", "v1").orElseThrow(), registry.manifest("copy/dock", "v1").orElseThrow());
  }

  @Test
  void manifestListsArePulledForTheAskedPlatform() throws IOException {
    Store scratch = store("scratch");
    Digest amd = putDockerImage(scratch, "multi/img", null, 21, "amd64");
    Digest arm = putDockerImage(scratch, "multi/img", null, 22, "arm64");
    long amdSize = registry.manifest("multi/img", amd.toString()).orElseThrow().length;
    long armSize = registry.manifest("multi/img", arm.toString()).orElseThrow().length;
    String list = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
        + "{\"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\",\"size\":" + armSize + ",\"digest\":\"" + arm
        + "\",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
        + "{\"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\",\"size\":" + amdSize + ",\"digest\":\"" + amd
        + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
    registry.putManifest("multi/img", "latest", MediaType.DOCKER_MANIFEST_LIST.toString(), list.getBytes(StandardCharsets.UTF_8));

    Store b = store("b");
    assertEquals(amd, new ImagePuller(b, registries()).pull(ref("multi/img"), Platform.LINUX_AMD64).manifestDigest());
    Store c = store("c");
    assertEquals(arm, new ImagePuller(c, registries()).pull(ref("multi/img"), Platform.parse("linux/arm64")).manifestDigest());
    Store d = store("d");
    assertThrows(PlatformNotFoundException.class,
        () -> new ImagePuller(d, registries()).pull(ref("multi/img"), Platform.parse("linux/s390x")));
    assertEquals(List.of(), d.layout().list());
  }

  @Test
  void pullByDigestLeavesTheImageUnnamed() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 12);
    new ImagePusher(a, registries()).push(img, ref("team/app:1"));
    Store b = store("b");
    Image got = new ImagePuller(b, registries()).pull(ref("team/app@" + img.manifestDigest()), Platform.LINUX_AMD64);
    assertEquals(img.manifestDigest(), got.manifestDigest());
    assertEquals(1, b.layout().list().size());
    assertTrue(b.layout().list().get(0).ref().isEmpty());
  }

  /** A pull that fails: one clean error, nothing named, a store that verifies, no temp files. */
  void assertFailedCleanly(Store b, String repo, Class<? extends Throwable> type) throws IOException {
    Throwable t = assertThrows(Throwable.class, () -> new ImagePuller(b, registries()).pull(ref(repo + ":1"), Platform.LINUX_AMD64));
    assertTrue(type.isInstance(t), () -> "expected " + type.getSimpleName() + ", got " + t);
    assertEquals(List.of(), b.layout().list());
    assertVerified(b);
    assertNoLeftovers(b);
  }

  @Test
  void interruptedPullsLeaveAVerifiableStoreAndTagNothing() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 13);
    String lastLayer = "/blobs/" + img.layers().get(2).digest();
    List<String> repos = List.of("truncated/app", "corrupt/app", "status500/app", "manifest500/app");
    for (String repo : repos) {
      new ImagePusher(a, registries()).push(img, ref(repo + ":1"));
    }
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/truncated/app" + lastLayer, 100));
    assertFailedCleanly(store("truncated"), "truncated/app", RegistryException.class);

    registry.inject(Fault.of(FaultKind.CORRUPT, "GET", "/v2/corrupt/app" + lastLayer, 100));
    assertFailedCleanly(store("corrupt"), "corrupt/app", DigestMismatchException.class);

    registry.inject(Fault.status("GET", "/v2/status500/app" + lastLayer, 500, 100));
    assertFailedCleanly(store("status500"), "status500/app", RegistryException.class);

    registry.inject(Fault.status("GET", "/v2/manifest500/app/manifests/1", 500, 100));
    assertFailedCleanly(store("manifest500"), "manifest500/app", RegistryException.class);
  }

  @Test
  void temporaryFailuresAreRetried() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 14);
    new ImagePusher(a, registries()).push(img, ref("team/app:1"));
    registry.inject(Fault.status("GET", "/v2/team/app/blobs/" + img.layers().get(0).digest(), 503, 2));
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/team/app/blobs/" + img.layers().get(1).digest(), 1));
    registry.inject(Fault.of(FaultKind.RESET, "GET", "/v2/team/app/blobs/" + img.layers().get(2).digest(), 1));
    Store b = store("b");
    Image got = new ImagePuller(b, registries()).pull(ref("team/app:1"), Platform.LINUX_AMD64);
    assertEquals(img.manifestDigest(), got.manifestDigest());
    ImageValidator.validate(b, got.manifestDescriptor());
    assertVerified(b);
  }

  @Test
  void mirrorsAreTriedFirstAndDockerHubIsNeverReachedWhenTheMirrorHasTheImage() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 15);
    // the fake registry plays a mirror of Docker Hub: docker.io/library/x is library/x there
    new ImagePusher(a, registries()).push(img, ref("library/x:1"));
    RegistryConfig config = new RegistryConfig(Map.of("docker.io", List.of("http://" + registry.host())), Set.of());
    Store b = store("b");
    List<String> sources = new CopyOnWriteArrayList<>();
    Image got = new ImagePuller(b, registries(config)).pull(ImageRef.parse("x:1"), Platform.LINUX_AMD64, new TransferListener() {
      @Override
      public void resolved(String source, Digest manifest) {
        sources.add(source);
      }
    });
    assertEquals(img.manifestDigest(), got.manifestDigest());
    assertEquals(List.of(registry.host()), sources);
    assertEquals(img.manifestDigest(), new Images(b).resolve("x:1").manifestDigest());
    assertVerified(b);
  }

  @Test
  void aFailingMirrorHandsOverToTheNextMirrorAndThenTheRegistry() throws IOException {
    Store a = store("a");
    Image img = source(a, "app:1", 16);
    new ImagePusher(a, registries()).push(img, ref("team/app:1"));
    try (FakeRegistry empty = FakeRegistry.start(); FakeRegistry broken = FakeRegistry.start()) {
      broken.inject(Fault.status("GET", ".*", 500, 1000));
      RegistryConfig config = new RegistryConfig(
          Map.of(registry.host(), List.of(empty.host(), "http://" + broken.host())), Set.of());
      List<String> failed = new CopyOnWriteArrayList<>();
      Store b = store("b");
      Image got = new ImagePuller(b, registries(config)).pull(ref("team/app:1"), Platform.LINUX_AMD64, new TransferListener() {
        @Override
        public void mirrorFailed(String mirror, Exception error) {
          failed.add(mirror);
        }
      });
      assertEquals(img.manifestDigest(), got.manifestDigest());
      assertEquals(List.of(empty.host(), broken.host()), failed);
      assertEquals(1, empty.count("GET", "/v2/team/app/manifests/1"));
    }
  }

  @Test
  void dockerHubWithoutMirrorsWouldBeReachedAndTheGuardCatchesIt() {
    // proves the guard of these tests works: without a mirror the puller goes to docker.io
    assertThrows(AssertionError.class,
        () -> new ImagePuller(store("z"), registries()).pull(ImageRef.parse("x:1"), Platform.LINUX_AMD64));
  }
}
