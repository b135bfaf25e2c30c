package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.cli.Cli;
import dev.jbuild.cli.JbuildProcess;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RegistryTokenServer;
import dev.jbuild.store.testing.RequiresTools;
import dev.jbuild.store.verify.Verifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbuild push}, {@code pull} and {@code login} against Debian's docker-registry (open, behind
 * htpasswd, behind Bearer tokens), and interop with skopeo in both directions.
 */
@RequiresTools("docker-registry")
class RegistryCommandsIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  Cli cli(String root) {
    return new Cli(tmp.resolve(root)).withEnv("DOCKER_CONFIG", tmp.resolve("docker").toString());
  }

  /** An image of two layers in store {@code root}: a small rootfs, then 2 MiB of random files. */
  Image twoLayerImage(Cli cli, String root, String name) throws Exception {
    Path tar = StoreProcessesIT.randomTar(tmp.resolve(root + "-data.tar"), 8, 256 << 10, 42);
    Cli.Result r = cli.run("import", tar.toString(), name);
    assertEquals(0, r.exitCode(), r::toString);
    return new Images(Store.open(StoreRoot.of(tmp.resolve(root)))).resolve(name);
  }

  static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": timed out");
    }
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** Pulls into an empty store and checks every digest against the source image. */
  Image pullIntoEmptyStore(Cli cli, String root, String ref, Image expected) throws IOException {
    Cli.Result pull = cli.run("pull", ref);
    assertEquals(0, pull.exitCode(), pull::toString);
    Store store = Store.open(StoreRoot.of(tmp.resolve(root)));
    Image got = new Images(store).resolve(ref);
    assertEquals(expected.manifestDigest(), got.manifestDigest());
    assertEquals(expected.id(), got.id());
    assertEquals(expected.layers().stream().map(Descriptor::digest).toList(), got.layers().stream().map(Descriptor::digest).toList());
    ImageValidator.validate(store, got.manifestDescriptor());
    Verifier.Report report = new Verifier(store).verify();
    assertTrue(report.ok(), report.faults()::toString);
    return got;
  }

  @Test
  void pushThenPullIntoAnEmptyStoreGivesIdenticalDigests() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(tmp.resolve("registry"))) {
      Cli a = cli("a");
      Image img = twoLayerImage(a, "a", "data:1");
      String ref = server.host() + "/jbuild/data:1";
      Cli.Result push = a.run("push", "data:1", ref);
      assertEquals(0, push.exitCode(), push::toString);
      assertEquals(img.manifestDigest().toString(), push.out().strip());
      pullIntoEmptyStore(cli("b"), "b", ref, img);

      // a second push finds every blob in place
      Cli.Result again = a.run("push", "data:1", ref);
      assertEquals(0, again.exitCode(), again::toString);
      assertEquals(2, again.err().lines().filter(l -> l.endsWith("skipped: already exists")).count(), again::toString);
    }
  }

  @Test
  void loginThenPushAndPullBehindBasicAuth() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.startWithHtpasswd(tmp.resolve("registry"), "jb", "pw-basic")) {
      Cli a = cli("a");
      Image img = twoLayerImage(a, "a", "data:1");
      String ref = server.host() + "/jbuild/data:1";
      Cli.Result denied = a.run("push", "data:1", ref);
      assertEquals(125, denied.exitCode(), denied::toString);
      assertTrue(denied.err().contains("401"), denied::toString);

      // --password-stdin, as CI scripts log in: through a real process with a real stdin
      ProcessBuilder pb = JbuildProcess.builder(tmp.resolve("a"), "login", "-u", "jb", "--password-stdin", server.host());
      pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker").toString());
      pb.redirectErrorStream(true);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write("pw-basic\n".getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("Login Succeeded!"), out);

      Cli.Result push = a.run("push", "data:1", ref);
      assertEquals(0, push.exitCode(), push::toString);
      pullIntoEmptyStore(cli("b"), "b", ref, img);
      assertEquals(0, a.run("logout", server.host()).exitCode());
      assertEquals(125, cli("c").run("pull", ref).exitCode());
    }
  }

  @Test
  void loginThenPushAndPullWithBearerTokens() throws Exception {
    try (RegistryTokenServer tokens = RegistryTokenServer.start(tmp.resolve("tokens"), "ci", "ci-pw");
        DockerRegistryServer server = DockerRegistryServer.startWithTokenAuth(tmp.resolve("registry"), tokens)) {
      Cli a = cli("a");
      Image img = twoLayerImage(a, "a", "data:1");
      String ref = server.host() + "/team/data:1";
      assertEquals(125, a.run("login", "-u", "ci", "-p", "wrong", server.host()).exitCode());
      Cli.Result login = a.run("login", "-u", "ci", "-p", "ci-pw", server.host());
      assertEquals(0, login.exitCode(), login::toString);
      Cli.Result push = a.run("push", "data:1", ref);
      assertEquals(0, push.exitCode(), push::toString);
      int before = tokens.requests();
      pullIntoEmptyStore(cli("b"), "b", ref, img);
      assertTrue(tokens.requests() > before, "the pull fetched a token");

      // the pulled image knows its repository: a push to another one mounts every blob
      Cli.Result mount = cli("b").run("push", ref, server.host() + "/team/copy:1");
      assertEquals(0, mount.exitCode(), mount::toString);
      assertEquals(2, mount.err().lines().filter(l -> l.endsWith("mounted from another repository")).count(), mount::toString);
    }
  }

  @Test
  @RequiresTools({"docker-registry", "skopeo"})
  void skopeoReadsWhatJbuildPushed() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(tmp.resolve("registry"))) {
      Cli a = cli("a");
      Image img = twoLayerImage(a, "a", "data:1");
      String ref = server.host() + "/jbuild/data:1";
      assertEquals(0, a.run("push", "data:1", ref).exitCode());
      JsonNode inspect = JSON.readTree(run(tmp, "skopeo", "inspect", "--tls-verify=false", "docker://" + ref));
      assertEquals(img.manifestDigest().toString(), inspect.get("Digest").asText());
      List<String> layers = new ArrayList<>();
      inspect.get("Layers").forEach(l -> layers.add(l.asText()));
      assertEquals(img.layers().stream().map(d -> d.digest().toString()).toList(), layers);
      String raw = run(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
      assertEquals(img.manifestDigest(), Digest.of(raw.getBytes(StandardCharsets.UTF_8)));
      String config = run(tmp, "skopeo", "inspect", "--config", "--raw", "--tls-verify=false", "docker://" + ref);
      assertEquals(img.id(), Digest.of(config.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  @RequiresTools({"docker-registry", "skopeo"})
  void jbuildPullsWhatSkopeoPushedInBothManifestFormats() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(tmp.resolve("registry"))) {
      Cli a = cli("a");
      Image img = twoLayerImage(a, "a", "data:1");
      String oci = "oci:" + tmp.resolve("a/oci") + ":data:1";

      // OCI, as the layout holds it: pulled byte for byte
      String ref = server.host() + "/skopeo/data:oci";
      run(tmp, "skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false", oci, "docker://" + ref);
      pullIntoEmptyStore(cli("b"), "b", ref, img);

      // Docker schema 2, converted by skopeo: kept as Docker media types, digests as the registry's
      String dref = server.host() + "/skopeo/data:v2s2";
      run(tmp, "skopeo", "--insecure-policy", "copy", "--format", "v2s2", "--dest-tls-verify=false", oci, "docker://" + dref);
      String raw = run(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + dref);
      Cli c = cli("c");
      Cli.Result pull = c.run("pull", dref);
      assertEquals(0, pull.exitCode(), pull::toString);
      Store store = Store.open(StoreRoot.of(tmp.resolve("c")));
      Image got = new Images(store).resolve(dref);
      assertEquals(Digest.of(raw.getBytes(StandardCharsets.UTF_8)), got.manifestDigest());
      assertEquals(MediaType.DOCKER_MANIFEST, got.manifestDescriptor().mediaType());
      assertTrue(got.layers().stream().allMatch(l -> l.mediaType().equals(MediaType.DOCKER_LAYER_GZIP)), got.layers()::toString);
      ImageValidator.validate(store, got.manifestDescriptor());
      assertEquals(0, c.run("verify").exitCode());

      // and back out: the registry gets the same Docker manifest under another name
      Cli.Result push = c.run("push", dref, server.host() + "/again/data:v2s2");
      assertEquals(0, push.exitCode(), push::toString);
      assertEquals(got.manifestDigest().toString(), push.out().strip());
      assertFalse(push.err().contains("Copying blob") && push.err().contains(" done "), "blobs were mounted, not uploaded: " + push.err());
    }
  }
}
