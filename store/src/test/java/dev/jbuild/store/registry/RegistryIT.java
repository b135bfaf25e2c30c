package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.RegistryTokenServer;
import dev.jbuild.store.testing.RequiresTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against Debian's docker-registry (distribution 2.8), and interop with skopeo. */
@RequiresTools("docker-registry")
class RegistryIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(5));

  @TempDir Path tmp;
  DockerRegistryServer server;
  TempDirBlobStore store;

  @BeforeEach
  void setUp() throws IOException {
    store = new TempDirBlobStore(tmp.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  RegistryClient client(CredentialProvider creds, ClientOptions opts) {
    return new RegistryClient(RegistryEndpoint.of(server.host()), creds, opts);
  }

  RegistryClient client() {
    return client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST));
  }

  /** A small image made of random layers, as blobs plus manifest bytes. */
  record TestImage(Descriptor config, byte[] configBytes, List<Descriptor> layers, List<byte[]> layerBytes, byte[] manifest) {
    Descriptor manifestDescriptor() {
      return Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(manifest), manifest.length);
    }
  }

  static TestImage image(long seed, int... layerSizes) {
    List<Descriptor> layers = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (int i = 0; i < layerSizes.length; i++) {
      byte[] b = RegistryClientTest.random(layerSizes[i], seed * 100 + i);
      bytes.add(b);
      layers.add(RegistryClientTest.layer(b));
    }
    byte[] cfg = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":" + seed + "}")
        .getBytes(StandardCharsets.UTF_8);
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(cfg), cfg.length);
    return new TestImage(config, cfg, layers, bytes,
        RegistryClientTest.manifestFor(config, layers.toArray(Descriptor[]::new)));
  }

  static void push(RegistryClient c, String repo, String tag, TestImage img) throws IOException {
    c.pushBlob(repo, img.config(), RegistryClientTest.source(img.configBytes()));
    List<Transfers.Transfer<PushOutcome>> tasks = new ArrayList<>();
    for (int i = 0; i < img.layers().size(); i++) {
      int n = i;
      tasks.add(() -> c.pushBlob(repo, img.layers().get(n), RegistryClientTest.source(img.layerBytes().get(n))));
    }
    Transfers.run(3, tasks);
    c.putManifest(repo, tag, MediaType.OCI_MANIFEST, img.manifest());
  }

  byte[] pullBytes(RegistryClient c, String repo, Descriptor d) throws IOException {
    try (BlobWriter w = store.newWriter()) {
      c.pullBlob(repo, d, w);
    }
    return Files.readAllBytes(store.path(d.digest()));
  }

  static String run(Path dir, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  @Test
  void pushThenPullByTagAndDigestIsByteIdentical() throws IOException {
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    TestImage img = image(1, 3 << 20, 1000, 0);
    try (RegistryClient c = client()) {
      c.ping();
      push(c, "jbuild/roundtrip", "v1", img);
      Digest md = img.manifestDescriptor().digest();

      ManifestResponse byTag = c.getManifest("jbuild/roundtrip", "v1", RegistryClient.MANIFEST_TYPES);
      assertArrayEquals(img.manifest(), byTag.bytes());
      assertEquals(md, byTag.digest());
      assertEquals(MediaType.OCI_MANIFEST, byTag.mediaType());
      ManifestResponse byDigest = c.getManifest("jbuild/roundtrip", md.toString(), RegistryClient.MANIFEST_TYPES);
      assertArrayEquals(img.manifest(), byDigest.bytes());
      assertEquals(Optional.of(img.manifestDescriptor()), c.headManifest("jbuild/roundtrip", "v1", RegistryClient.MANIFEST_TYPES));
      assertEquals(Optional.empty(), c.headManifest("jbuild/roundtrip", "nope", RegistryClient.MANIFEST_TYPES));

      JsonNode m = JSON.readTree(byDigest.bytes());
      Descriptor cfg = Descriptor.of(MediaType.parse(m.path("config").path("mediaType").asText()),
          Digest.parse(m.path("config").path("digest").asText()), m.path("config").path("size").asLong());
      assertArrayEquals(img.configBytes(), pullBytes(c, "jbuild/roundtrip", cfg));
      for (int i = 0; i < img.layers().size(); i++) {
        assertArrayEquals(img.layerBytes().get(i), pullBytes(c, "jbuild/roundtrip", img.layers().get(i)));
      }
      // a second push sends no blob again
      for (int i = 0; i < img.layers().size(); i++) {
        assertEquals(PushOutcome.EXISTS,
            c.pushBlob("jbuild/roundtrip", img.layers().get(i), RegistryClientTest.source(img.layerBytes().get(i))));
      }
      c.putManifest("jbuild/roundtrip", "v2", MediaType.OCI_MANIFEST, img.manifest());
      assertEquals(List.of("v1", "v2"), c.tags("jbuild/roundtrip").stream().sorted().toList());

      RegistryException e = assertThrows(RegistryException.class,
          () -> c.getManifest("jbuild/roundtrip", "missing", RegistryClient.MANIFEST_TYPES));
      assertEquals(404, e.status());
      assertTrue(e.has(ErrorCode.MANIFEST_UNKNOWN), e.getMessage());
      Descriptor absent = RegistryClientTest.layer(new byte[] {1, 2, 3});
      RegistryException b = assertThrows(RegistryException.class, () -> pullBytes(c, "jbuild/roundtrip", absent));
      assertTrue(b.has(ErrorCode.BLOB_UNKNOWN), b.getMessage());
    }
    assertEquals(0, store.tempFiles());
  }

  @Test
  void tagList() throws IOException {
    // distribution 2.8.2 ignores "n" and sends no Link header: paging is covered by FakeRegistry
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    TestImage img = image(2, 10);
    try (RegistryClient c = client(CredentialProvider.anonymous(), ClientOptions.defaults().withRetry(FAST).withTagsPageSize(2))) {
      push(c, "paged", "t1", img);
      for (String t : List.of("t2", "t3", "t4", "t5")) {
        c.putManifest("paged", t, MediaType.OCI_MANIFEST, img.manifest());
      }
      assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), c.tags("paged").stream().sorted().toList());
    }
  }

  @Test
  void chunkedUploadToTheRealRegistry() throws IOException {
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    byte[] big = RegistryClientTest.random((3 << 20) + 12345, 7);
    Descriptor d = RegistryClientTest.layer(big);
    ClientOptions opts = ClientOptions.defaults().withRetry(FAST).withChunking(1 << 20, 512 << 10);
    try (RegistryClient c = client(CredentialProvider.anonymous(), opts)) {
      assertEquals(PushOutcome.UPLOADED, c.pushBlob("chunked/blob", d, RegistryClientTest.source(big)));
      assertTrue(c.hasBlob("chunked/blob", d.digest()));
      assertArrayEquals(big, pullBytes(c, "chunked/blob", d));
      // content that does not match its descriptor is refused before the upload is committed
      Descriptor lie = RegistryClientTest.layer(RegistryClientTest.random(big.length, 8));
      assertThrows(dev.jbuild.store.digest.DigestMismatchException.class,
          () -> c.pushBlob("chunked/blob", lie, RegistryClientTest.source(big)));
      assertFalse(c.hasBlob("chunked/blob", lie.digest()));
    }
  }

  @Test
  void crossRepositoryMount() throws IOException {
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    TestImage img = image(3, 200_000);
    try (RegistryClient c = client()) {
      push(c, "base/image", "latest", img);
      Descriptor l = img.layers().get(0);
      assertFalse(c.hasBlob("app/image", l.digest()));
      assertEquals(PushOutcome.MOUNTED, c.pushBlob("app/image", l, () -> {
        throw new IOException("a mounted blob must not be read");
      }, "base/image"));
      assertTrue(c.hasBlob("app/image", l.digest()));
      assertArrayEquals(img.layerBytes().get(0), pullBytes(c, "app/image", l));
    }
  }

  @Test
  @RequiresTools({"docker-registry", "htpasswd"})
  void basicAuthWithHtpasswd() throws IOException {
    server = DockerRegistryServer.startWithHtpasswd(tmp.resolve("registry"), "jbuild", "s3cret-pw");
    TestImage img = image(4, 5000);
    CredentialStore creds = new CredentialStore(tmp.resolve("docker/config.json"), Map.of());
    creds.login(server.host(), "jbuild", "s3cret-pw");
    try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
      c.ping();
      push(c, "private/img", "v1", img);
      assertArrayEquals(img.manifest(), c.getManifest("private/img", "v1", RegistryClient.MANIFEST_TYPES).bytes());
      assertArrayEquals(img.layerBytes().get(0), pullBytes(c, "private/img", img.layers().get(0)));
    }
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> c.getManifest("private/img", "v1", RegistryClient.MANIFEST_TYPES));
      assertEquals(401, e.status());
      assertTrue(e.has(ErrorCode.UNAUTHORIZED), e.getMessage());
      assertFalse(e.isTemporary());
    }
    CredentialProvider wrong = CredentialProvider.of(Map.of(server.host(), Credentials.basic("jbuild", "nope")));
    try (RegistryClient c = client(wrong, ClientOptions.defaults().withRetry(FAST))) {
      RegistryException e = assertThrows(RegistryException.class, c::ping);
      assertEquals(401, e.status());
      assertTrue(e.getMessage().startsWith("checking registry " + server.host() + ": HTTP 401 UNAUTHORIZED"), e.getMessage());
    }
  }

  @Test
  void bearerTokensFromAnInProcessTokenServer() throws IOException {
    try (RegistryTokenServer tokens = RegistryTokenServer.start(tmp.resolve("tokens"), "ci", "ci-pw")) {
      server = DockerRegistryServer.startWithTokenAuth(tmp.resolve("registry"), tokens);
      TestImage img = image(6, 70_000, 3000);
      CredentialProvider creds = CredentialProvider.of(Map.of(server.host(), Credentials.basic("ci", "ci-pw")));
      try (RegistryClient c = client(creds, ClientOptions.defaults().withRetry(FAST))) {
        c.ping();
        push(c, "ci/cache", "main", img);
        int afterPush = tokens.requests();
        // ping (no scope) and one pull,push token, shared by the parallel uploads
        assertEquals(2, afterPush);
        for (int i = 0; i < img.layers().size(); i++) {
          assertArrayEquals(img.layerBytes().get(i), pullBytes(c, "ci/cache", img.layers().get(i)));
        }
        assertArrayEquals(img.manifest(), c.getManifest("ci/cache", "main", RegistryClient.MANIFEST_TYPES).bytes());
        // one more token for the pull scope, reused for every pull after
        assertEquals(afterPush + 1, tokens.requests());
        assertEquals(PushOutcome.MOUNTED, c.pushBlob("ci/other", img.layers().get(0), () -> {
          throw new IOException("a mounted blob must not be read");
        }, "ci/cache"));
      }
      try (RegistryClient c = client()) {
        RegistryException e = assertThrows(RegistryException.class,
            () -> c.getManifest("ci/cache", "main", RegistryClient.MANIFEST_TYPES));
        assertEquals("fetching token for repository:ci/cache:pull: HTTP 401 UNAUTHORIZED: invalid username or password",
            e.getMessage());
      }
    }
  }

  @Test
  @RequiresTools({"docker-registry", "skopeo"})
  void skopeoReadsWhatWePushed() throws IOException {
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    TestImage img = image(5, 100_000, 2000);
    byte[] index;
    try (RegistryClient c = client()) {
      push(c, "interop/pushed", "v1", img);
      Descriptor md = img.manifestDescriptor();
      index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
          + "{\"mediaType\":\"" + md.mediaType() + "\",\"digest\":\"" + md.digest() + "\",\"size\":" + md.size()
          + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
      c.putManifest("interop/pushed", "multi", MediaType.OCI_INDEX, index);
      ManifestResponse back = c.getManifest("interop/pushed", "multi", RegistryClient.MANIFEST_TYPES);
      assertTrue(back.isIndex());
      assertEquals(md.digest(), PlatformSelector.select(back.bytes(), Platform.LINUX_AMD64).digest());
    }
    String ref = "docker://" + server.host() + "/interop/pushed:v1";
    JsonNode inspect = JSON.readTree(run(tmp, "skopeo", "inspect", "--tls-verify=false", ref));
    assertEquals(img.manifestDescriptor().digest().toString(), inspect.path("Digest").asText());
    List<String> layers = new ArrayList<>();
    inspect.path("Layers").forEach(l -> layers.add(l.asText()));
    assertEquals(img.layers().stream().map(d -> d.digest().toString()).toList(), layers);
    String raw = run(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false", ref);
    assertEquals(new String(img.manifest(), StandardCharsets.UTF_8), raw);
    // skopeo resolves our index to the linux/amd64 manifest
    JsonNode viaIndex = JSON.readTree(run(tmp, "skopeo", "inspect", "--tls-verify=false",
        "docker://" + server.host() + "/interop/pushed:multi"));
    assertEquals(layers, JSON.convertValue(viaIndex.path("Layers"), List.class));
  }

  @Test
  @RequiresTools({"docker-registry", "skopeo"})
  void wePullWhatSkopeoCopied() throws IOException {
    server = DockerRegistryServer.start(tmp.resolve("registry"));
    Path layout = tmp.resolve("layout");
    byte[] layerTar = gzipTar(Map.of("etc/hello.txt", "hello from skopeo\n", "bin/tool", "#!/bin/sh\necho hi\n"));
    byte[] diffTar = gunzip(layerTar);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/tool\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(diffTar) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of(layerTar), layerTar.length);
    Descriptor cfg = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(config), config.length);
    byte[] manifest = RegistryClientTest.manifestFor(cfg, layer);
    writeLayout(layout, "v1", manifest, List.of(config, layerTar));

    run(tmp, "skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
        "oci:" + layout + ":v1", "docker://" + server.host() + "/interop/copied:v1");

    try (RegistryClient c = client()) {
      ManifestResponse m = c.getManifest("interop/copied", "v1", RegistryClient.MANIFEST_TYPES);
      JsonNode n = JSON.readTree(m.bytes());
      Descriptor gotCfg = Descriptor.of(MediaType.parse(n.path("config").path("mediaType").asText()),
          Digest.parse(n.path("config").path("digest").asText()), n.path("config").path("size").asLong());
      assertArrayEquals(config, pullBytes(c, "interop/copied", gotCfg));
      assertEquals(1, n.path("layers").size());
      JsonNode l = n.path("layers").get(0);
      Descriptor gotLayer = Descriptor.of(MediaType.parse(l.path("mediaType").asText()),
          Digest.parse(l.path("digest").asText()), l.path("size").asLong());
      assertArrayEquals(layerTar, pullBytes(c, "interop/copied", gotLayer));
      try (InputStream in = c.openBlob("interop/copied", gotLayer)) {
        assertArrayEquals(layerTar, in.readAllBytes());
      }
      assertEquals(List.of("v1"), c.tags("interop/copied"));
    }
  }

  /** An OCI image layout written by hand: oci-layout, index.json (ref.name annotation), blobs. */
  static void writeLayout(Path dir, String tag, byte[] manifest, List<byte[]> blobs) throws IOException {
    Path b = Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    for (byte[] blob : blobs) {
      Files.write(b.resolve(Digest.of(blob).hex()), blob);
    }
    Files.write(b.resolve(Digest.of(manifest).hex()), manifest);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + Digest.of(manifest) + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
  }

  static byte[] gzipTar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (String name : new java.util.TreeMap<>(files).keySet()) {
        byte[] content = files.get(name).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0755);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
