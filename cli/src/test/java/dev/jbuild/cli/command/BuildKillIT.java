package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.cli.JbuildProcess;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A build killed with SIGKILL in the middle of a bridged RUN leaves a mounted overlay, a running runc
 * container, a network namespace and its CNI attachment; the next build releases all of them.
 */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class BuildKillIT {
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-rt-kill-");
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  @Test
  void nextBuildReleasesWhatAKilledBuildHeld() throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), ctx.resolve("rootfs.tar").toString());
    Files.writeString(ctx.resolve("Buildfile"), "FROM scratch\nADD rootfs.tar /\nRUN echo started; sleep 120\n");
    Path root = dir.resolve("store");
    Process p = JbuildProcess.builder(root, "build", "--progress", "plain", ctx.toString())
        .redirectErrorStream(true).start();
    boolean started = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (String line; System.nanoTime() < deadline && (line = r.readLine()) != null; ) {
        if (line.equals("#2 started")) {
          started = true;
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(started, "the RUN step started");
    try (var l = Files.list(root.resolve("tmp"))) {
      assertTrue(l.anyMatch(x -> x.getFileName().toString().startsWith("step-")), "the killed build left its step");
    }

    Files.writeString(ctx.resolve("Buildfile"), "FROM scratch\nADD rootfs.tar /\n");
    Cli.Result r = new Cli(root).run("build", "-q", ctx.toString());
    assertEquals(0, r.exitCode(), r.toString());
    try (var l = Files.list(root.resolve("tmp"))) {
      assertEquals(0, l.filter(x -> x.getFileName().toString().startsWith("step-")).count());
    }
  }
}
