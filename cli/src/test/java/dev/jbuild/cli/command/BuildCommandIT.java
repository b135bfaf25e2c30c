package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.cli.Cli;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code jbuild build} in process: progress formats, errors, tags, iidfile, --output, --check, prune and cache. */
@RequiresRoot
@RequiresTools({"runc", "skopeo", "umoci"})
@ExtendWith(LeakCheck.class)
class BuildCommandIT {
  Path dir;
  Path ctxDir;
  Cli cli;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-rt-cli-");
    ctxDir = Files.createDirectories(dir.resolve("ctx"));
    cli = new Cli(dir.resolve("store"));
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    exec(project.resolve("scripts/busybox-rootfs").toString(), ctxDir.resolve("rootfs.tar").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  @Test
  void buildsTagsExportsAndCachesWithPlainProgress() throws Exception {
    Files.writeString(ctxDir.resolve("Buildfile"), "FROM scratch\nADD rootfs.tar /\nRUN echo hi > /hi\nCMD [\"cat\", \"/hi\"]\n");
    Path layout = dir.resolve("layout");
    Path iid = dir.resolve("iid");
    Cli.Result r = cli.run("-f", ctxDir.resolve("Buildfile").toString(), "-t", "hello:1", "--network", "none",
        "--progress", "plain", "--iidfile", iid.toString(), "--output", "type=oci,dest=" + layout + "/", ctxDir.toString());
    assertEquals(0, r.exitCode(), r.toString());
    String id = r.out().strip();
    assertEquals(id, Files.readString(iid));
    assertTrue(r.err().contains("#1 [1/3] ADD rootfs.tar /"), r.err());
    assertTrue(r.err().contains("#2 [2/3] RUN echo hi > /hi"), r.err());
    assertTrue(r.err().contains("DONE"), r.err());
    Store store = Store.open(StoreRoot.of(dir.resolve("store")));
    ImageValidator.validate(store, new Images(store).resolve("hello:1").manifestDescriptor());
    assertTrue(exec("skopeo", "inspect", "oci:" + layout + ":hello:1").contains("\"Layers\""));
    exec("umoci", "unpack", "--image", layout + ":hello:1", dir.resolve("bundle").toString());
    assertEquals("hi\n", Files.readString(dir.resolve("bundle/rootfs/hi")));

    Cli.Result again = cli.run("build", "--network", "none", "--progress", "plain", "-t", "hello:1", ctxDir.toString());
    assertEquals(0, again.exitCode(), again.toString());
    assertEquals(id, again.out().strip());
    assertEquals(3, again.err().lines().filter(l -> l.endsWith(" CACHED")).count(), again.err());

    // cache blobs survive prune even when no image needs them
    assertEquals(0, cli.run("rmi", "hello:1").exitCode());
    assertEquals(0, cli.run("prune").exitCode());
    Cli.Result afterPrune = cli.run("build", "--network", "none", "--progress", "plain", ctxDir.toString());
    assertEquals(0, afterPrune.exitCode(), afterPrune.toString());
    assertEquals(3, afterPrune.err().lines().filter(l -> l.endsWith(" CACHED")).count(), afterPrune.err());
  }

  @Test
  void failingRunExitsWith125AndPlace() throws Exception {
    Files.writeString(ctxDir.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nRUN echo oops >&2; exit 4\n");
    Cli.Result r = cli.run("build", "--network", "none", "--progress", "json", ctxDir.toString());
    assertEquals(125, r.exitCode(), r.toString());
    assertTrue(r.err().contains("jbuild: Buildfile:3:1: ".replace("Buildfile", "Dockerfile")), r.err());
    assertTrue(r.err().contains("exit code 4"), r.err());
    ObjectMapper json = new ObjectMapper();
    List<String> lines = r.err().lines().filter(l -> l.startsWith("{")).toList();
    assertFalse(lines.isEmpty());
    boolean sawOutput = false;
    for (String l : lines) {
      JsonNode n = json.readTree(l);
      assertTrue(n.has("type"), l);
      sawOutput |= n.get("type").asText().equals("output") && n.get("line").asText().equals("oops");
    }
    assertTrue(sawOutput, r.err());
  }

  @Test
  void checkPrintsTheReport() throws Exception {
    Files.writeString(ctxDir.resolve("Buildfile"), "from scratch AS base\nCOPY a b\n");
    Cli.Result r = cli.run("build", "--check", ctxDir.toString());
    assertTrue(r.out().contains("Casing"), r.toString());
  }

  @Test
  void outputsDockerArchiveAndRootfsTar() throws Exception {
    Files.writeString(ctxDir.resolve("Buildfile"), "FROM scratch\nADD rootfs.tar /\nRUN echo x > /x\n");
    Path docker = dir.resolve("img.tar");
    Path rootfs = dir.resolve("rootfs.tar");
    assertEquals(0, cli.run("build", "--network", "none", "-q", "-t", "x:1", "--output", "type=docker,dest=" + docker,
        ctxDir.toString()).exitCode());
    assertTrue(exec("skopeo", "inspect", "docker-archive:" + docker).contains("\"Layers\""));
    assertEquals(0, cli.run("build", "--network", "none", "-q", "--output", "type=tar,dest=" + rootfs,
        ctxDir.toString()).exitCode());
    String list = exec("tar", "-tf", rootfs.toString());
    assertTrue(list.lines().anyMatch(l -> l.equals("x")), list);
    assertTrue(list.lines().anyMatch(l -> l.equals("bin/busybox")), list);
  }
}
