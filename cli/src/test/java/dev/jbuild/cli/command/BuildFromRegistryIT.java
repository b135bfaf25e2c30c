package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code FROM registry/name:tag} in a build: a base image missing from the store is pulled, then built on. */
@RequiresRoot
@RequiresTools({"runc", "docker-registry"})
@ExtendWith(LeakCheck.class)
class BuildFromRegistryIT {
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-from-reg-");
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  Cli cli(String store) {
    return new Cli(dir.resolve(store)).withEnv("DOCKER_CONFIG", dir.resolve("docker").toString());
  }

  static Cli.Result ok(Cli.Result r) {
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  @Test
  void aMissingBaseImageIsPulledFromTheRegistry() throws Exception {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path rootfs = dir.resolve("rootfs.tar");
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), rootfs.toString());
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      String base = server.host() + "/lib/bb:1";
      ok(cli("a").run("import", rootfs.toString(), base));
      ok(cli("a").run("push", "-q", base));
      Image pushed = new Images(Store.open(StoreRoot.of(dir.resolve("a")))).resolve(base);

      Path ctx = Files.createDirectories(dir.resolve("ctx"));
      Files.writeString(ctx.resolve("Buildfile"),
          "FROM " + base + "\nRUN echo hi from a pulled base > /x\nCMD [\"cat\", \"/x\"]\n");
      Cli b = cli("b");
      Cli.Result build = ok(b.run("build", "--network", "none", "--progress", "plain", "-t", "app:1", ctx.toString()));
      assertTrue(build.err().contains("pulling " + base), build.err());
      Image pulled = new Images(Store.open(StoreRoot.of(dir.resolve("b")))).resolve(base);
      assertEquals(pushed.manifestDigest(), pulled.manifestDigest(), "the base keeps its digest");
      Image app = new Images(Store.open(StoreRoot.of(dir.resolve("b")))).resolve("app:1");
      assertEquals(pushed.layers().get(0), app.layers().get(0));
      assertEquals("hi from a pulled base\n", ok(b.run("run", "--rm", "--network", "none", "app:1")).out());

      // a second build uses the local copy: nothing is pulled again
      Cli.Result again = ok(b.run("build", "--network", "none", "--progress", "plain", "-t", "app:1", ctx.toString()));
      assertTrue(!again.err().contains("pulling"), again.err());

      Files.writeString(ctx.resolve("Buildfile"), "FROM " + server.host() + "/lib/missing:1\nRUN true\n");
      Cli.Result missing = cli("c").run("build", "--network", "none", "--progress", "plain", ctx.toString());
      assertEquals(125, missing.exitCode(), missing.toString());
      assertTrue(missing.err().contains("Buildfile:1:1: pulling " + server.host() + "/lib/missing:1"), missing.err());
    }
  }
}
