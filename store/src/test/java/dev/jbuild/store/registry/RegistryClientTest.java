package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.testing.FakeRegistry;
import dev.jbuild.store.testing.FakeRegistry.Fault;
import dev.jbuild.store.testing.FakeRegistry.FaultKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientTest {
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(3));

  @TempDir Path tmp;
  FakeRegistry registry;
  TempDirBlobStore store;

  @BeforeEach
  void setUp() throws IOException {
    registry = FakeRegistry.start();
    store = new TempDirBlobStore(tmp.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  RegistryClient client() {
    return client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST));
  }

  RegistryClient client(CredentialProvider creds, ClientOptions options) {
    return new RegistryClient(RegistryEndpoint.of(registry.host()), creds, options);
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Descriptor layer(byte[] content) {
    return Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of(content), content.length);
  }

  static BlobSource source(byte[] content) {
    return () -> new ByteArrayInputStream(content);
  }

  Descriptor pull(RegistryClient c, String repo, Descriptor d) throws IOException {
    try (BlobWriter w = store.newWriter()) {
      return c.pullBlob(repo, d, w);
    }
  }

  byte[] stored(Digest d) throws IOException {
    return Files.readAllBytes(store.path(d));
  }

  static byte[] manifestFor(Descriptor config, Descriptor... layers) {
    StringBuilder b = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":")
        .append(desc(config)).append(",\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      b.append(i == 0 ? "" : ",").append(desc(layers[i]));
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static String desc(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  @Test
  void pingsTheApi() {
    try (RegistryClient c = client()) {
      c.ping();
    }
    assertEquals(1, registry.count("GET", "/v2/"));
  }

  @Test
  void pushesAndPullsBlobsAndManifestsByTagAndDigest() throws IOException {
    byte[] content = random(200_000, 1);
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor l = layer(content);
    Descriptor cfg = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(config), config.length);
    try (RegistryClient c = client()) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("team/app", l, source(content)));
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("team/app", cfg, source(config)));
      assertEquals(PushOutcome.EXISTS, c.pushBlob("team/app", l, source(content)));
      byte[] manifest = manifestFor(cfg, l);
      Digest md = c.putManifest("team/app", "v1", MediaType.OCI_MANIFEST, manifest);
      assertEquals(Digest.of(manifest), md);

      ManifestResponse byTag = c.getManifest("team/app", "v1", RegistryClient.MANIFEST_TYPES);
      assertArrayEquals(manifest, byTag.bytes());
      assertEquals(MediaType.OCI_MANIFEST, byTag.mediaType());
      ManifestResponse byDigest = c.getManifest("team/app", md.toString(), RegistryClient.MANIFEST_TYPES);
      assertEquals(md, byDigest.digest());
      assertEquals(Optional.of(Descriptor.of(MediaType.OCI_MANIFEST, md, manifest.length)),
          c.headManifest("team/app", "v1", RegistryClient.MANIFEST_TYPES));
      assertEquals(Optional.empty(), c.headManifest("team/app", "v2", RegistryClient.MANIFEST_TYPES));

      assertTrue(c.hasBlob("team/app", l.digest()));
      assertFalse(c.hasBlob("other/app", l.digest()));
      assertEquals(l, pull(c, "team/app", l));
      assertArrayEquals(content, stored(l.digest()));
      try (InputStream in = c.openBlob("team/app", cfg)) {
        assertArrayEquals(config, in.readAllBytes());
      }
    }
    // one monolithic PUT per uploaded blob, no PATCH
    assertEquals(2, registry.count("PUT", "/v2/team/app/blobs/uploads/.*"));
    assertEquals(0, registry.count("PATCH", ".*"));
  }

  @Test
  void reportsProgress() throws IOException {
    byte[] content = random(300_000, 24);
    Descriptor l = layer(content);
    List<Long> pushed = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> pulled = new ArrayList<>();
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withChunking(100_000, 64 * 1024))) {
      c.pushBlob("p", l, source(content), null, pushed::add);
      try (BlobWriter w = store.newWriter()) {
        c.pullBlob("p", l, w, pulled::add);
      }
    }
    assertEquals(300_000L, pushed.get(pushed.size() - 1));
    assertEquals(300_000L, pulled.get(pulled.size() - 1));
    for (int i = 1; i < pulled.size(); i++) {
      assertTrue(pulled.get(i) > pulled.get(i - 1));
    }
  }

  @Test
  void manifestThatRefersToMissingBlobsIsRefused() {
    byte[] content = random(10, 2);
    byte[] manifest = manifestFor(layer(content), layer(content));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> c.putManifest("a/b", "t", MediaType.OCI_MANIFEST, manifest));
      assertEquals(400, e.status());
      assertTrue(e.has(ErrorCode.MANIFEST_BLOB_UNKNOWN), e.getMessage());
      assertTrue(e.getMessage().startsWith("pushing manifest a/b:t: HTTP 400 MANIFEST_BLOB_UNKNOWN: blob unknown"), e.getMessage());
    }
  }

  @Test
  void chunkedUploadSendsContentRangePatches() throws IOException {
    byte[] content = random(300_000, 3);
    Descriptor l = layer(content);
    ClientOptions opts = ClientOptions.defaults().withRetry(FAST).withChunking(100_000, 64 * 1024);
    try (RegistryClient c = client(CredentialProvider.anonymous(), opts)) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("chunky", l, source(content)));
    }
    assertEquals(5, registry.count("PATCH", "/v2/chunky/blobs/uploads/.*"));
    assertEquals(1, registry.count("PUT", "/v2/chunky/blobs/uploads/.*\\?_state=opaque&digest=sha256%3A.*"));
    assertArrayEquals(content, registry.blob("chunky", l.digest()).orElseThrow());
  }

  @Test
  void chunkedUploadFollowsAbsoluteLocations() throws IOException {
    registry.absoluteLocations(true);
    byte[] content = random(150_000, 4);
    Descriptor l = layer(content);
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withChunking(1, 100_000))) {
      c.pushBlob("abs", l, source(content));
    }
    assertEquals(2, registry.count("PATCH", ".*"));
    assertArrayEquals(content, registry.blob("abs", l.digest()).orElseThrow());
  }

  @Test
  void chunkedUploadRefusesContentThatDoesNotMatchItsDigest() {
    byte[] content = random(50_000, 5);
    Descriptor claimed = layer(random(50_000, 6));
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withChunking(1, 16_384))) {
      assertThrows(DigestMismatchException.class, () -> c.pushBlob("bad", claimed, source(content)));
    }
    assertEquals(0, registry.count("PUT", ".*"));
    assertTrue(registry.blob("bad", claimed.digest()).isEmpty());
  }

  @Test
  void monolithicUploadOfWrongContentFailsCleanly() {
    byte[] content = random(1000, 7);
    Descriptor claimed = layer(random(1000, 8));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.pushBlob("bad", claimed, source(content)));
      assertTrue(e.has(ErrorCode.DIGEST_INVALID), e.getMessage());
      assertFalse(e.isTemporary());
    }
    assertEquals(1, registry.count("PUT", ".*"));
  }

  @Test
  void aFailedUploadRestartsFromAFreshStream() throws IOException {
    byte[] content = random(20_000, 21);
    Descriptor l = layer(content);
    registry.inject(Fault.status("PUT", "/v2/up/blobs/uploads/.*", 500, 1));
    int[] opened = {0};
    try (RegistryClient c = client()) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("up", l, () -> {
        opened[0]++;
        return new ByteArrayInputStream(content);
      }));
    }
    assertEquals(2, opened[0]);
    assertEquals(2, registry.count("POST", "/v2/up/blobs/uploads/"));
    assertArrayEquals(content, registry.blob("up", l.digest()).orElseThrow());
  }

  @Test
  void aFailedChunkRestartsTheUpload() throws IOException {
    byte[] content = random(100_000, 22);
    Descriptor l = layer(content);
    registry.inject(Fault.of(FaultKind.RESET, "PATCH", "/v2/up/blobs/uploads/.*", 1));
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withChunking(1, 30_000))) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("up", l, source(content)));
    }
    assertEquals(2, registry.count("POST", "/v2/up/blobs/uploads/"));
    assertArrayEquals(content, registry.blob("up", l.digest()).orElseThrow());
  }

  @Test
  void aMissingLocalSourceIsNotRetried() {
    Descriptor l = layer(random(100, 23));
    try (RegistryClient c = client()) {
      IOException e = assertThrows(IOException.class, () -> c.pushBlob("up", l, () -> {
        throw new java.nio.file.NoSuchFileException("/nowhere");
      }));
      assertTrue(e instanceof java.nio.file.NoSuchFileException);
    }
    assertEquals(1, registry.count("POST", ".*"));
  }

  @Test
  void mountsFromAnotherRepository() throws IOException {
    byte[] content = random(5000, 9);
    Descriptor l = layer(content);
    registry.putBlob("base/os", content);
    try (RegistryClient c = client()) {
      assertEquals(PushOutcome.MOUNTED, c.pushBlob("app/one", l, source(content), "base/os"));
      // the source lacks the blob: the registry opens an upload session instead, which is used
      byte[] other = random(5000, 10);
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("app/one", layer(other), source(other), "base/os"));
    }
    assertEquals(2, registry.count("POST", "/v2/app/one/blobs/uploads/\\?mount=sha256%3A.*&from=base%2Fos"));
    assertEquals(1, registry.count("PUT", ".*"));
    assertArrayEquals(content, registry.blob("app/one", l.digest()).orElseThrow());
  }

  @Test
  void aRefusedMountFallsBackToAnUpload() throws IOException {
    byte[] content = random(5000, 26);
    Descriptor l = layer(content);
    registry.putBlob("base/os", content);
    registry.inject(Fault.status("POST", "/v2/app/two/blobs/uploads/", 403, 1));
    try (RegistryClient c = client()) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("app/two", l, source(content), "base/os"));
    }
    assertEquals(2, registry.count("POST", "/v2/app/two/blobs/uploads/.*"));
    assertEquals(1, registry.count("POST", "/v2/app/two/blobs/uploads/"));
    assertArrayEquals(content, registry.blob("app/two", l.digest()).orElseThrow());
  }

  @Test
  void retriesServerErrorsThenSucceeds() throws IOException {
    byte[] content = random(1000, 11);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.status("GET", "/v2/r/blobs/.*", 500, 3));
    try (RegistryClient c = client()) {
      pull(c, "r", l);
    }
    assertEquals(4, registry.count("GET", "/v2/r/blobs/.*"));
    assertArrayEquals(content, stored(l.digest()));
  }

  @Test
  void givesUpAfterBoundedRetriesWithOneTemporaryError() throws IOException {
    byte[] content = random(1000, 12);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.status("GET", "/v2/r/blobs/.*", 503, 100));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> pull(c, "r", l));
      assertEquals(503, e.status());
      assertTrue(e.isTemporary());
      assertEquals("pulling blob " + l.digest().algorithm().prefix() + l.digest().shortHex()
          + ": HTTP 503 UNKNOWN: injected fault", e.getMessage());
    }
    assertEquals(4, registry.count("GET", "/v2/r/blobs/.*"));
    assertEquals(0, store.count());
    assertEquals(0, store.tempFiles());
  }

  @Test
  void honoursRetryAfterOn429() {
    registry.putManifest("r", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    registry.inject(Fault.tooManyRequests("GET", "/v2/r/manifests/t", "1", 1));
    long start = System.nanoTime();
    try (RegistryClient c = client()) {
      c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 900, "waited only " + ms + " ms despite Retry-After: 1");
    assertEquals(2, registry.count("GET", "/v2/r/manifests/t"));
  }

  @Test
  void neverRetriesOtherClientErrors() {
    registry.inject(Fault.status("GET", "/v2/r/manifests/t", 403, 10));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES));
      assertEquals(403, e.status());
      assertFalse(e.isTemporary());
    }
    assertEquals(1, registry.count("GET", "/v2/r/manifests/t"));
  }

  @Test
  void missingManifestIsOneCleanError() {
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("r", "nope", RegistryClient.MANIFEST_TYPES));
      assertEquals(404, e.status());
      assertEquals(List.of(new RegistryError(ErrorCode.MANIFEST_UNKNOWN, "MANIFEST_UNKNOWN", "manifest unknown")), e.errors());
      assertEquals("pulling manifest r:nope: HTTP 404 MANIFEST_UNKNOWN: manifest unknown", e.getMessage());
    }
    assertEquals(1, registry.count("GET", ".*"));
  }

  @Test
  void injected401WithoutChallengeIsOneCleanError() {
    byte[] content = random(100, 13);
    registry.putBlob("r", content);
    registry.inject(Fault.status("GET", "/v2/r/blobs/.*", 401, 10));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.openBlob("r", layer(content)));
      assertEquals(401, e.status());
      assertTrue(e.has(ErrorCode.UNKNOWN));
    }
    assertEquals(1, registry.count("GET", ".*"));
  }

  @Test
  void retriesConnectionResets() {
    byte[] m = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    registry.putManifest("r", "t", MediaType.OCI_MANIFEST.toString(), m);
    registry.inject(Fault.of(FaultKind.RESET, "GET", "/v2/r/manifests/t", 2));
    try (RegistryClient c = client()) {
      assertArrayEquals(m, c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES).bytes());
    }
    assertEquals(3, registry.count("GET", "/v2/r/manifests/t"));
  }

  @Test
  void persistentResetsGiveATemporaryErrorWithoutStatus() {
    registry.inject(Fault.of(FaultKind.RESET, "GET", "/v2/r/manifests/t", 100));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES));
      assertEquals(0, e.status());
      assertTrue(e.isTemporary());
      assertTrue(e.getMessage().startsWith("pulling manifest r:t: "), e.getMessage());
    }
    // 4 attempts; the JDK client itself re-sends an idempotent request once when the connection
    // closes before any response, so each attempt may show up twice
    long sent = registry.count("GET", "/v2/r/manifests/t");
    assertTrue(sent >= 4 && sent <= 8, "requests: " + sent);
  }

  @Test
  void resumesATruncatedBlobWithARangeRequest() throws IOException {
    byte[] content = random(400_000, 14);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/r/blobs/.*", 1));
    try (RegistryClient c = client()) {
      assertEquals(l, pull(c, "r", l));
    }
    assertArrayEquals(content, stored(l.digest()));
    assertEquals(2, registry.count("GET", "/v2/r/blobs/.*"));
  }

  @Test
  void restartsATruncatedBlobWhenTheServerIgnoresRanges() throws IOException {
    registry.ranges(false);
    byte[] content = random(400_000, 15);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/r/blobs/.*", 2));
    try (RegistryClient c = client()) {
      assertEquals(l, pull(c, "r", l));
    }
    assertArrayEquals(content, stored(l.digest()));
    assertEquals(3, registry.count("GET", "/v2/r/blobs/.*"));
  }

  @Test
  void aRangeAnswerFromTheWrongOffsetFallsBackToAFullRead() throws IOException {
    registry.brokenRanges();
    byte[] content = random(300_000, 25);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/r/blobs/.*", 1));
    try (RegistryClient c = client()) {
      assertEquals(l, pull(c, "r", l));
    }
    assertArrayEquals(content, stored(l.digest()));
    assertEquals(3, registry.count("GET", "/v2/r/blobs/.*"));
  }

  @Test
  void alwaysTruncatedBlobNeverCommits() throws IOException {
    byte[] content = random(100_000, 16);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.of(FaultKind.TRUNCATE, "GET", "/v2/r/blobs/.*", 100));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> pull(c, "r", l));
      assertTrue(e.isTemporary());
    }
    assertEquals(0, store.count());
    assertEquals(0, store.tempFiles());
  }

  @Test
  void wrongDigestBlobNeverCommits() throws IOException {
    byte[] content = random(100_000, 17);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    registry.inject(Fault.of(FaultKind.CORRUPT, "GET", "/v2/r/blobs/.*", 1));
    try (RegistryClient c = client()) {
      DigestMismatchException e = assertThrows(DigestMismatchException.class, () -> pull(c, "r", l));
      assertEquals(l.digest(), e.want());
      assertFalse(store.has(l.digest()));
      // the stream variant fails at its end, too
      registry.inject(Fault.of(FaultKind.CORRUPT, "GET", "/v2/r/blobs/.*", 1));
      try (InputStream in = c.openBlob("r", l)) {
        assertThrows(DigestMismatchException.class, in::readAllBytes);
      }
      // and the next clean pull works
      assertEquals(l, pull(c, "r", l));
    }
    assertEquals(1, store.count());
    assertEquals(0, store.tempFiles());
  }

  @Test
  void blobLongerThanItsDescriptorIsRefused() throws IOException {
    byte[] content = random(1000, 18);
    registry.putBlob("r", content);
    Descriptor shorter = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of(content), 999);
    try (RegistryClient c = client()) {
      assertThrows(DigestMismatchException.class, () -> pull(c, "r", shorter));
    }
    assertEquals(0, store.count());
  }

  @Test
  void oversizedManifestsAreRefused() {
    byte[] huge = new byte[RegistryClient.MAX_MANIFEST_SIZE + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    registry.putManifest("r", "big", MediaType.OCI_MANIFEST.toString(), huge);
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("r", "big", RegistryClient.MANIFEST_TYPES));
      assertEquals("pulling manifest r:big: response of 4194305 bytes is larger than the limit of 4194304", e.getMessage());
      assertThrows(RegistryException.class, () -> c.putManifest("r", "big2", MediaType.OCI_MANIFEST, huge));
    }
    assertEquals(0, registry.count("PUT", ".*"));
  }

  @Test
  void manifestMediaTypeComesFromTheBodyWhenTheHeaderIsGeneric() {
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST_LIST + "\",\"manifests\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    registry.putManifest("r", "list", "application/json", index);
    try (RegistryClient c = client()) {
      ManifestResponse m = c.getManifest("r", "list", RegistryClient.MANIFEST_TYPES);
      assertEquals(MediaType.DOCKER_MANIFEST_LIST, m.mediaType());
      assertTrue(m.isIndex());
      assertEquals(new ManifestResponse(MediaType.DOCKER_MANIFEST_LIST, index.clone(), Digest.of(index)), m);
    }
  }

  @Test
  void errorCodesParseWhateverTheCase() {
    assertEquals(ErrorCode.MANIFEST_UNKNOWN, ErrorCode.parse("manifest_unknown"));
    assertEquals(ErrorCode.UNKNOWN, ErrorCode.parse("SOMETHING_NEW"));
    assertEquals(ErrorCode.UNKNOWN, ErrorCode.parse(null));
    assertEquals(List.of(new RegistryError(ErrorCode.UNKNOWN, "SOMETHING_NEW", "x")),
        Transport.parseErrors("{\"errors\":[{\"code\":\"SOMETHING_NEW\",\"message\":\"x\",\"detail\":{}}]}"));
    assertEquals(List.of(), Transport.parseErrors("<html>bad gateway</html>"));
    assertTrue(new RegistryException("x", 0, List.of(), null).isTemporary());
    assertTrue(new RegistryException("x", 502, List.of(), null).isTemporary());
    assertTrue(new RegistryException("x", 400, List.of(new RegistryError(ErrorCode.TOOMANYREQUESTS, null, "")), null).isTemporary());
    assertFalse(new RegistryException("x", 404, List.of(), null).isTemporary());
  }

  @Test
  void manifestByDigestIsVerified() {
    byte[] m = "{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
    Digest d = registry.putManifest("r", "t", MediaType.OCI_MANIFEST.toString(), m);
    registry.inject(Fault.of(FaultKind.CORRUPT, "GET", "/v2/r/manifests/.*", 2));
    try (RegistryClient c = client()) {
      DigestMismatchException e = assertThrows(DigestMismatchException.class,
          () -> c.getManifest("r", d.toString(), RegistryClient.MANIFEST_TYPES));
      assertEquals(d, e.want());
      // by tag, the registry's Docker-Content-Digest header is the reference
      assertThrows(DigestMismatchException.class, () -> c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES));
    }
  }

  @Test
  void bearerTokensAreFetchedOncePerScopeAndReused() throws IOException {
    registry.requireBearer("alice", "s3cret");
    byte[] content = random(3000, 19);
    Descriptor l = layer(content);
    CredentialProvider creds = CredentialProvider.of(Map.of(registry.host(), Credentials.basic("alice", "s3cret")));
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      c.pushBlob("team/app", l, source(content));
      int afterPush = registry.tokenRequests();
      assertTrue(afterPush <= 2, "token requests for one push: " + afterPush);
      for (int i = 0; i < 5; i++) {
        try (BlobWriter w = store.newWriter()) {
          c.pullBlob("team/app", l, w);
        }
      }
      // pull scope differs from pull,push: one more token at most, then reuse
      assertTrue(registry.tokenRequests() <= afterPush + 1, "tokens: " + registry.tokenRequests());
      int before = registry.tokenRequests();
      for (int i = 0; i < 5; i++) {
        assertTrue(c.hasBlob("team/app", l.digest()));
      }
      assertEquals(before, registry.tokenRequests());
    }
    assertArrayEquals(content, stored(l.digest()));
  }

  @Test
  void anonymousBearerTokens() {
    registry.requireBearer(null, null);
    registry.putManifest("pub/img", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    try (RegistryClient c = client()) {
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
    }
    assertEquals(1, registry.tokenRequests());
  }

  @Test
  void expiredTokenIsRenewed() {
    registry.requireBearer(null, null).tokenExpiresIn(60);
    registry.putManifest("pub/img", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    MutableClock clock = new MutableClock();
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withClock(clock))) {
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
      clock.advance(Duration.ofSeconds(30));
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
      assertEquals(1, registry.tokenRequests());
      clock.advance(Duration.ofSeconds(60));
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
      assertEquals(2, registry.tokenRequests());
    }
  }

  @Test
  void refusedTokenIsRefreshedOnce() {
    registry.requireBearer(null, null);
    registry.putManifest("pub/img", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    try (RegistryClient c = client()) {
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
      registry.revokeTokens();
      c.getManifest("pub/img", "t", RegistryClient.MANIFEST_TYPES);
    }
    assertEquals(2, registry.tokenRequests());
  }

  @Test
  void wrongCredentialsForTheTokenServerGiveOneError() {
    registry.requireBearer("alice", "s3cret");
    CredentialProvider creds = CredentialProvider.of(Map.of(registry.host(), Credentials.basic("alice", "wrong")));
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("team/app", "t", RegistryClient.MANIFEST_TYPES));
      assertEquals(401, e.status());
      assertEquals("fetching token for repository:team/app:pull: HTTP 401 UNAUTHORIZED: bad credentials", e.getMessage());
    }
    assertEquals(1, registry.tokenRequests());
  }

  @Test
  void identityTokensUseTheOAuth2RefreshGrant() {
    registry.requireBearerWithIdentityToken("refresh-123");
    registry.putManifest("x/y", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    CredentialProvider creds = CredentialProvider.of(Map.of(registry.host(), Credentials.identityToken("refresh-123")));
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      c.getManifest("x/y", "t", RegistryClient.MANIFEST_TYPES);
    }
    assertEquals(1, registry.count("POST", "/token"));
    CredentialProvider wrong = CredentialProvider.of(Map.of(registry.host(), Credentials.identityToken("stale")));
    try (RegistryClient c = client(wrong, ClientOptions.defaults().withRetry(FAST))) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("x/y", "t", RegistryClient.MANIFEST_TYPES));
      assertEquals("fetching token for repository:x/y:pull: HTTP 401 UNAUTHORIZED: bad refresh token", e.getMessage());
    }
  }

  @Test
  void interruptionIsNotRetried() {
    registry.putManifest("r", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    try (RegistryClient c = client()) {
      Thread.currentThread().interrupt();
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("r", "t", RegistryClient.MANIFEST_TYPES));
      assertFalse(e.isTemporary());
      assertTrue(Thread.interrupted());
    }
  }

  @Test
  void basicAuth() {
    registry.requireBasic("bob", "pw");
    registry.putManifest("x/y", "t", MediaType.OCI_MANIFEST.toString(), "{}".getBytes(StandardCharsets.UTF_8));
    java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
    CredentialProvider creds = host -> {
      lookups.incrementAndGet();
      return host.equals(registry.host()) ? Optional.of(Credentials.basic("bob", "pw")) : Optional.empty();
    };
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      c.ping();
      c.getManifest("x/y", "t", RegistryClient.MANIFEST_TYPES);
      c.getManifest("x/y", "t", RegistryClient.MANIFEST_TYPES);
    }
    // credential helpers are processes: looked up once per client, not per request
    assertEquals(1, lookups.get());
    // one 401 to learn the scheme, then credentials go with every request
    assertEquals(4, registry.count("GET", ".*"));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.getManifest("x/y", "t", RegistryClient.MANIFEST_TYPES));
      assertEquals("pulling manifest x/y:t: HTTP 401 UNAUTHORIZED: authentication required", e.getMessage());
      assertTrue(e.has(ErrorCode.UNAUTHORIZED));
    }
  }

  @Test
  void listsTagsAcrossPages() {
    for (String t : List.of("e", "a", "c", "b", "d")) {
      registry.putManifest("r", t, MediaType.OCI_MANIFEST.toString(), ("{\"t\":\"" + t + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withTagsPageSize(2))) {
      assertEquals(List.of("a", "b", "c", "d", "e"), c.tags("r"));
      RegistryException e = assertThrows(RegistryException.class, () -> c.tags("nothing/here"));
      assertTrue(e.has(ErrorCode.NAME_UNKNOWN));
    }
    assertEquals(3, registry.count("GET", "/v2/r/tags/list.*"));
  }

  @Test
  void parallelTransfersShareOneClient() throws IOException {
    registry.requireBearer(null, null);
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] content = random(50_000 + i, 100 + i);
      layers.add(layer(content));
      registry.putBlob("par", content);
    }
    try (RegistryClient c = client()) {
      List<Descriptor> got = Transfers.run(4, layers.stream()
          .map(l -> (Transfers.Transfer<Descriptor>) () -> pull(c, "par", l)).toList());
      assertEquals(layers, got);
    }
    assertEquals(8, store.count());
    assertTrue(registry.tokenRequests() <= 4, "tokens: " + registry.tokenRequests());
  }

  @Test
  void followsBlobRedirectsWithoutSendingCredentialsElsewhere() throws IOException {
    registry.requireBearer("alice", "pw").redirectBlobs();
    byte[] content = random(70_000, 20);
    Descriptor l = layer(content);
    registry.putBlob("r", content);
    CredentialProvider creds = CredentialProvider.of(Map.of(registry.host(), Credentials.basic("alice", "pw")));
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      assertEquals(l, pull(c, "r", l));
      try (InputStream in = c.openBlob("r", l)) {
        assertArrayEquals(content, in.readAllBytes());
      }
    }
    assertArrayEquals(content, stored(l.digest()));
    assertEquals(2, registry.storageRequests());
    assertEquals(0, registry.storageRequestsWithAuthorization());
  }

  @Test
  void rejectsInvalidNames() {
    try (RegistryClient c = client()) {
      assertThrows(dev.jbuild.store.JbuildException.class, () -> c.tags("Upper/Case"));
      assertThrows(dev.jbuild.store.JbuildException.class, () -> c.getManifest("ok", "bad tag", RegistryClient.MANIFEST_TYPES));
    }
    assertEquals(0, registry.requests().size());
  }

  /** A clock tests move by hand, to cross token expiry without waiting. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
