package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import dev.jbuild.cli.Cli;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.registry.RegistryClient;
import dev.jbuild.store.registry.RegistryEndpoint;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code build --pull}, {@code build --push} and {@code --output type=registry} against Debian's docker-registry. */
@RequiresRoot
@RequiresTools({"runc", "docker-registry", "skopeo"})
@ExtendWith(LeakCheck.class)
class BuildRegistryFlagsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  Path dir;
  Path rootfs;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-build-reg-");
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    rootfs = dir.resolve("rootfs.tar");
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), rootfs.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  Cli cli(String store) {
    return new Cli(dir.resolve(store)).withEnv("DOCKER_CONFIG", dir.resolve("docker").toString());
  }

  Images images(String store) throws Exception {
    return new Images(Store.open(StoreRoot.of(dir.resolve(store))));
  }

  static Cli.Result ok(Cli.Result r) {
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  /** A context building a busybox image whose /version holds {@code version}. */
  Path versionContext(String version) throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("src"));
    Files.copy(rootfs, ctx.resolve("rootfs.tar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(ctx.resolve("version"), version + "\n");
    Files.writeString(ctx.resolve("Buildfile"), "FROM scratch\nADD rootfs.tar /\nCOPY version /version\n");
    return ctx;
  }

  /** Builds a base image with that version in store "a" and pushes it; returns it as store "a" has it. */
  Image pushBase(String ref, String version) throws Exception {
    ok(cli("a").run("build", "-q", "-t", ref, versionContext(version).toString()));
    ok(cli("a").run("push", "-q", ref));
    return images("a").resolve(ref);
  }

  static boolean startsWith(List<?> all, List<?> prefix) {
    return all.size() >= prefix.size() && all.subList(0, prefix.size()).equals(prefix);
  }

  @Test
  void pullAlwaysResolvesTheTagAgainAndNeverStaysLocal() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      String base = server.host() + "/lib/base:latest";
      Image v1 = pushBase(base, "v1");

      Path app = Files.createDirectories(dir.resolve("app"));
      Files.writeString(app.resolve("Buildfile"), "FROM " + base + "\nRUN cp /version /seen\n");
      Cli b = cli("b");
      String[] build = {"build", "--network", "none", "--progress", "plain", "-t", "app:1", app.toString()};
      Cli.Result first = ok(b.run(build));
      assertTrue(first.err().contains("pulling " + base), first.err());
      Image app1 = images("b").resolve("app:1");
      assertTrue(startsWith(app1.layers(), v1.layers()), "built on v1");

      Image v2 = pushBase(base, "v2");
      assertNotEquals(v1.manifestDigest(), v2.manifestDigest());

      // without --pull the local v1 wins and every step is cached
      Cli.Result cached = ok(b.run(build));
      assertFalse(cached.err().contains("pulling"), cached.err());
      assertEquals(first.out(), cached.out(), "same image as the first build");

      // --pull resolves the tag again: v2, and the RUN step's cache key follows the new base
      Cli.Result pulled = ok(b.run("build", "--pull", "--network", "none", "--progress", "plain", "-t", "app:1",
          app.toString()));
      assertTrue(pulled.err().contains("pulling " + base), pulled.err());
      assertTrue(pulled.err().contains("Resolved " + server.host() + " manifest " + v2.manifestDigest()), pulled.err());
      assertEquals(v2.manifestDigest(), images("b").resolve(base).manifestDigest(), "the store's tag moved");
      Image app2 = images("b").resolve("app:1");
      assertTrue(startsWith(app2.layers(), v2.layers()), "built on v2");
      assertNotEquals(first.out(), pulled.out());
      assertEquals("v2\n", ok(b.run("run", "--rm", "--network", "none", "app:1", "cat", "/seen")).out());

      // unchanged in the registry: resolved again, no blob moves, the build is cached
      Cli.Result again = ok(b.run("build", "--pull=always", "--network", "none", "--progress", "plain", "-t", "app:1",
          app.toString()));
      assertTrue(again.err().contains("Resolved " + server.host() + " manifest " + v2.manifestDigest()), again.err());
      assertTrue(again.err().contains("skipped: already exists"), again.err());
      assertFalse(again.err().lines().anyMatch(l -> l.matches("Copying (blob|config) \\S+ done.*")), again.err());
      assertEquals(pulled.out(), again.out());

      // --pull=newer asks the registry as always does
      Cli.Result newerUp = ok(b.run("build", "--pull=newer", "--network", "none", "--progress", "plain", "-t", "app:1",
          app.toString()));
      assertTrue(newerUp.err().contains("Resolved " + server.host() + " manifest " + v2.manifestDigest()), newerUp.err());
      assertEquals(pulled.out(), newerUp.out());

      // --pull=never: the local image, and a missing one is a located error without any registry traffic
      Cli.Result never = ok(b.run("build", "--pull=never", "--network", "none", "--progress", "plain", app.toString()));
      assertFalse(never.err().contains("pulling"), never.err());
      server.close();
      // the registry is gone: --pull=always fails, --pull=newer warns and builds on the local image
      Cli.Result alwaysDown = b.run("build", "--pull=always", "--network", "none", "--progress", "plain", app.toString());
      assertEquals(125, alwaysDown.exitCode(), alwaysDown.toString());
      assertTrue(alwaysDown.err().contains("Buildfile:1:1: pulling " + base), alwaysDown.err());
      Cli.Result newerDown = ok(b.run("build", "--pull=newer", "--network", "none", "--progress", "plain", "-t", "app:1",
          app.toString()));
      assertTrue(newerDown.err().contains("[Warning] Buildfile:1:1: pulling " + base + " failed"), newerDown.err());
      assertEquals(pulled.out(), newerDown.out(), "the local v2, every step cached");
      Cli.Result missing = cli("c").run("build", "--pull=false", "--network", "none", "--progress", "plain", app.toString());
      assertEquals(125, missing.exitCode(), missing.toString());
      assertTrue(missing.err().contains("Buildfile:1:1: image " + base + " is not in the local store (--pull=never)"),
          missing.err());

      Cli.Result bad = cli("c").run("build", "--pull=sometimes", app.toString());
      assertNotEquals(0, bad.exitCode());
      assertTrue(bad.err().contains("invalid --pull \"sometimes\""), bad.err());
    }
  }

  static String run(String... cmd) throws Exception {
    return BuildCommandIT.exec(cmd);
  }

  @Test
  void pushAndRegistryOutputsLandInTheRegistry() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      String x1 = server.host() + "/app/x:1";
      String x2 = server.host() + "/app/x:2";
      Path ctx = versionContext("pushed");
      Cli.Result built = ok(cli("a").run("build", "--push", "--progress", "json", "-t", x1, "-t", x2, ctx.toString()));
      String id = built.out().strip();
      List<String> messages = built.err().lines().map(l -> {
        try {
          return JSON.readTree(l);
        } catch (Exception e) {
          throw new AssertionError("not a JSON line: " + l, e);
        }
      }).filter(n -> n.path("type").asText().equals("message")).map(n -> n.path("text").asText()).toList();
      Image local = images("a").resolve(x1);
      assertEquals(id, local.id().toString());
      for (String ref : List.of(x1, x2)) {
        assertTrue(messages.contains("pushing " + ref), messages.toString());
        assertTrue(messages.contains("pushed " + ref + "@" + local.manifestDigest()), messages.toString());
      }
      assertTrue(messages.stream().anyMatch(m -> m.matches("Copying blob sha256:[0-9a-f]{12} done .*")), messages.toString());
      assertTrue(messages.stream().anyMatch(m -> m.matches("Copying blob sha256:[0-9a-f]{12} skipped: already exists")),
          "the second tag finds the blobs the first pushed: " + messages);

      for (String ref : List.of(x1, x2)) {
        ok(cli("c").run("pull", "-q", ref));
        Image pulled = images("c").resolve(ref);
        assertEquals(local.manifestDigest(), pulled.manifestDigest(), ref);
        assertEquals(local.id(), pulled.id(), ref);
      }
      JsonNode inspect = JSON.readTree(run("skopeo", "inspect", "--tls-verify=false", "docker://" + x1));
      assertEquals(local.manifestDigest().toString(), inspect.path("Digest").asText());
      assertEquals(local.layers().size(), inspect.path("Layers").size(), inspect.toString());

      // type=registry pushes without naming the image in the store; plain progress shows the layers
      String y = server.host() + "/app/y:1";
      Files.writeString(ctx.resolve("version"), "registry output\n");
      Cli.Result out = ok(cli("a").run("build", "--progress", "plain", "--output", "type=registry,name=" + y, ctx.toString()));
      assertTrue(out.err().contains("pushing " + y), out.err());
      assertTrue(out.err().lines().anyMatch(l -> l.matches("Copying config sha256:[0-9a-f]{12} done .*")), out.err());
      assertTrue(images("a").find(y).isEmpty(), "type=registry keeps no tag");
      ok(cli("d").run("pull", "-q", y));
      assertEquals(out.out().strip(), images("d").resolve(y).id().toString());

      // docker's type=image,name=REF,push=true names it and pushes it
      String z = server.host() + "/app/z:1";
      Cli.Result img = ok(cli("a").run("build", "-q", "--output", "type=image,name=" + z + ",push=true", ctx.toString()));
      assertEquals(img.out().strip(), images("a").resolve(z).id().toString());
      ok(cli("e").run("pull", "-q", z));
      assertEquals(images("a").resolve(z).manifestDigest(), images("e").resolve(z).manifestDigest());

      Cli.Result noTag = cli("a").run("build", "--push", ctx.toString());
      assertNotEquals(0, noTag.exitCode());
      assertTrue(noTag.err().contains("--push needs a name to push to"), noTag.err());
      Cli.Result noName = cli("a").run("build", "--output", "type=registry", ctx.toString());
      assertNotEquals(0, noName.exitCode());
      assertTrue(noName.err().contains("name= is required for type=registry"), noName.err());
    }
  }

  @Test
  void aSelfSignedRegistryNeedsTlsVerifyFalseOrInsecureRegistry() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.startWithSelfSignedTls(dir.resolve("registry"))) {
      String ref = server.host() + "/lib/tls:1";
      ok(cli("a").run("import", rootfs.toString(), "bb:1"));
      Cli.Result refusedPush = cli("a").run("push", "bb:1", ref);
      assertNotEquals(0, refusedPush.exitCode(), refusedPush.toString());
      String digest = ok(cli("a").run("push", "-q", "--tls-verify=false", "bb:1", ref)).out().strip();
      assertEquals(images("a").resolve("bb:1").manifestDigest().toString(), digest);

      // loopback registries are plain HTTP unless told otherwise: one message says what the server answered
      Cli.Result refused = cli("b").run("pull", "-q", ref);
      assertNotEquals(0, refused.exitCode(), refused.toString());
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertTrue(refused.err().contains("Client sent an HTTP request to an HTTPS server"), refused.err());

      ok(cli("b").run("pull", "-q", "--tls-verify=false", ref));
      assertEquals(digest, images("b").resolve(ref).manifestDigest().toString());
      ok(cli("c").run("pull", "-q", "--insecure-registry", server.host(), ref));
      assertEquals(digest, images("c").resolve(ref).manifestDigest().toString());

      // a build pulls its base from there and pushes its result back
      Path ctx = Files.createDirectories(dir.resolve("tls-app"));
      Files.writeString(ctx.resolve("f"), "over TLS\n");
      Files.writeString(ctx.resolve("Buildfile"), "FROM " + ref + "\nCOPY f /f\n");
      String app = server.host() + "/lib/tls-app:1";
      Cli.Result refusedBuild = cli("d").run("build", "--progress", "plain", ctx.toString());
      assertEquals(125, refusedBuild.exitCode(), refusedBuild.toString());
      assertTrue(refusedBuild.err().contains("Buildfile:1:1: pulling " + ref), refusedBuild.err());
      String id = ok(cli("d").run("build", "-q", "--tls-verify=false", "--push", "-t", app, ctx.toString())).out().strip();
      // the base is local now: the build succeeds, its push is refused with one message naming the destination
      Cli.Result refusedPushAfterBuild = cli("d").run("build", "-q", "--push", "-t", app, ctx.toString());
      assertEquals(125, refusedPushAfterBuild.exitCode(), refusedPushAfterBuild.toString());
      assertEquals(1, refusedPushAfterBuild.err().lines().count(), refusedPushAfterBuild.err());
      assertTrue(refusedPushAfterBuild.err().contains("pushing the built image " + id.substring(7, 19) + " to " + app + ": "),
          refusedPushAfterBuild.err());
      assertTrue(refusedPushAfterBuild.err().contains("--tls-verify=false or --insecure-registry " + server.host()),
          refusedPushAfterBuild.err());
      ok(cli("e").run("pull", "-q", "--insecure-registry", "127.0.0.1", app));
      assertEquals(id, images("e").resolve(app).id().toString());
      JsonNode inspect = JSON.readTree(run("skopeo", "inspect", "--tls-verify=false", "docker://" + app));
      assertEquals(images("e").resolve(app).manifestDigest().toString(), inspect.path("Digest").asText());
    }
  }

  /**
   * Pushes {@code amd64} (an image of store "a") as the linux/amd64 entry of an OCI index under
   * {@code tag}, next to a linux/arm64/v8 copy whose config says so (same layers); returns the
   * arm64 manifest's digest.
   */
  static String pushIndex(String host, String repo, String tag, Store store, Image amd64) throws Exception {
    try (RegistryClient c = RegistryClient.anonymous(RegistryEndpoint.of(host))) {
      ObjectNode config = (ObjectNode) JSON.readTree(store.blobs().readAll(amd64.manifest().config().digest(), 1 << 20));
      config.put("architecture", "arm64").put("variant", "v8");
      byte[] configBytes = JSON.writeValueAsBytes(config);
      Descriptor cfg = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(configBytes), configBytes.length);
      c.pushBlob(repo, cfg, () -> new ByteArrayInputStream(configBytes));
      ObjectNode manifest = (ObjectNode) JSON.readTree(store.blobs().readAll(amd64.manifestDigest(), 1 << 20));
      ((ObjectNode) manifest.path("config")).put("digest", cfg.digest().toString()).put("size", configBytes.length);
      byte[] armManifest = JSON.writeValueAsBytes(manifest);
      Digest arm = c.putManifest(repo, Digest.of(armManifest).toString(), MediaType.OCI_MANIFEST, armManifest);

      ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaType.OCI_INDEX.toString());
      ArrayNode list = index.putArray("manifests");
      list.addObject().put("mediaType", amd64.manifestDescriptor().mediaType().toString())
          .put("digest", amd64.manifestDigest().toString()).put("size", amd64.manifestDescriptor().size())
          .putObject("platform").put("architecture", "amd64").put("os", "linux");
      list.addObject().put("mediaType", MediaType.OCI_MANIFEST.toString())
          .put("digest", arm.toString()).put("size", armManifest.length)
          .putObject("platform").put("architecture", "arm64").put("os", "linux").put("variant", "v8");
      byte[] indexBytes = JSON.writeValueAsBytes(index);
      c.putManifest(repo, tag, MediaType.OCI_INDEX, indexBytes);
      return arm.toString();
    }
  }

  @Test
  void platformSelectsTheManifestOfAnIndexForPullAndBuild() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      String amdRef = server.host() + "/lib/multi:amd64";
      ok(cli("a").run("import", rootfs.toString(), amdRef));
      ok(cli("a").run("push", "-q", amdRef));
      Image amd64 = images("a").resolve(amdRef);
      assertEquals("amd64", amd64.config().architecture());
      String multi = server.host() + "/lib/multi:1";
      String arm = pushIndex(server.host(), "lib/multi", "1", Store.open(StoreRoot.of(dir.resolve("a"))), amd64);

      ok(cli("b").run("pull", "-q", "--platform", "linux/arm64", multi));
      Image pulledArm = images("b").resolve(multi);
      assertEquals(arm, pulledArm.manifestDigest().toString());
      assertEquals("arm64", pulledArm.config().architecture());
      ok(cli("c").run("pull", "-q", "--platform", "linux/amd64", multi));
      assertEquals(amd64.manifestDigest(), images("c").resolve(multi).manifestDigest());
      Cli.Result none = cli("c").run("pull", "--platform", "linux/s390x", multi);
      assertNotEquals(0, none.exitCode());
      assertTrue(none.err().contains("no manifest for linux/s390x in the index (available: linux/amd64, linux/arm64/v8)"),
          none.err());

      // build --platform pulls that entry; steps that run nothing work, a RUN step is refused clearly
      Path ctx = Files.createDirectories(dir.resolve("multi-app"));
      Files.writeString(ctx.resolve("f"), "for arm\n");
      Files.writeString(ctx.resolve("Buildfile"), "FROM " + multi + "\nCOPY f /f\n");
      ok(cli("d").run("build", "-q", "--platform", "linux/arm64", "-t", "app:arm", ctx.toString()));
      Image app = images("d").resolve("app:arm");
      assertEquals("arm64", app.config().architecture());
      assertEquals("v8", app.config().variant());
      assertEquals(arm, images("d").resolve(multi).manifestDigest().toString());
      // the local arm64 image does not do for linux/amd64: that entry is pulled, and the tag moves to it
      Cli.Result amdBuild = ok(cli("d").run("build", "--progress", "plain", "--platform", "linux/amd64", "-t", "app:amd",
          ctx.toString()));
      assertTrue(amdBuild.err().contains("pulling " + multi), amdBuild.err());
      assertEquals("amd64", images("d").resolve("app:amd").config().architecture());

      // FROM scratch takes the --platform too, and the platform ARGs follow it; the two do not share a cache
      Files.writeString(ctx.resolve("Buildfile"), "FROM scratch\nARG TARGETARCH\nLABEL arch=$TARGETARCH\nCOPY f /f\n");
      ok(cli("e").run("build", "-q", "--platform", "linux/arm64", "-t", "s:arm", ctx.toString()));
      ok(cli("e").run("build", "-q", "-t", "s:amd", ctx.toString()));
      Image sArm = images("e").resolve("s:arm");
      Image sAmd = images("e").resolve("s:amd");
      assertEquals("arm64", sArm.config().architecture());
      assertEquals("arm64", sArm.config().configOrEmpty().labels().get("arch"));
      assertEquals("amd64", sAmd.config().architecture());
      assertEquals("amd64", sAmd.config().configOrEmpty().labels().get("arch"));

      // FROM --platform=$BUILDPLATFORM: a stage that runs on the host while the build targets arm64
      // (the arm64 entry would refuse the RUN); the final stage follows --platform
      Files.writeString(ctx.resolve("Buildfile"), "FROM --platform=$BUILDPLATFORM " + multi + " AS tools\n"
          + "RUN echo built-on-$(uname -m) > /out && cat /out\n"
          + "FROM " + multi + "\nCOPY --from=tools /out /out\n");
      Cli.Result cross = ok(cli("f").run("build", "--progress", "plain", "--network", "none", "--platform", "linux/arm64",
          "-t", "cross:arm", ctx.toString()));
      assertTrue((cross.out() + cross.err()).contains("built-on-x86_64"), cross.toString());
      assertEquals("arm64", images("f").resolve("cross:arm").config().architecture());
      // a stage's own FROM --platform=linux/arm64 pins it whatever the build's platform is
      Files.writeString(ctx.resolve("Buildfile"), "FROM --platform=linux/arm64 " + multi + "\nCOPY f /f\n");
      ok(cli("f").run("build", "-q", "-t", "pinned", ctx.toString()));
      assertEquals("arm64", images("f").resolve("pinned").config().architecture());

      Files.writeString(ctx.resolve("Buildfile"), "FROM " + multi + "\nRUN true\n");
      Cli.Result run = cli("d").run("build", "--progress", "plain", "--network", "none", "--platform", "linux/arm64/v8",
          ctx.toString());
      assertEquals(125, run.exitCode(), run.toString());
      assertTrue(run.err().contains("Buildfile:2:1: RUN would execute a linux/arm64/v8 image on this linux/amd64 host"),
          run.err());
    }
  }
}
