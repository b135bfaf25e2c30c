package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.cli.JbuildProcess;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's training of the {@code run} cache: {@code aot-train run-setup DIR} makes the
 * training image, {@code aot-train run DIR} really runs it and deletes DIR, and a DIR that a killed
 * training left with a container still mounted is reaped by the next run-setup.
 */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class AotTrainRunIT {
  @Test
  void setUpThenRunLeavesNothing(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("train");
    Cli cli = new Cli(tmp.resolve("user-store"));
    Cli.Result setup = cli.run("aot-train", "run-setup", dir.toString());
    assertEquals(0, setup.exitCode(), setup.toString());
    assertTrue(Files.isDirectory(dir.resolve("store")), "the training store was made");

    Cli.Result run = cli.run("aot-train", "run", dir.toString());
    assertEquals(0, run.exitCode(), run.toString());
    // the run itself reports nothing: a failure to start (not /bin/true's exit) would be on stderr
    assertEquals("", run.err(), run.toString());
    assertFalse(Files.exists(dir), "aot-train run deletes its directory");
  }

  @Test
  void runSetUpReapsWhatAKilledTrainingLeft(@TempDir Path tmp) throws Exception {
    Cli cli = new Cli(tmp.resolve("user-store"));
    // a training directory named after a process that is gone, its run killed with SIGKILL mid-way
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path left = tmp.resolve("train." + gone.pid());
    assertEquals(0, cli.run("aot-train", "run-setup", left.toString()).exitCode());
    Process run = JbuildProcess.builder(left.resolve("store"), "run", "--network", "none", "-v", "/usr:/usr:ro", "train",
        "/bin/sleep", "1000").redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      awaitMounted(left);
    } finally {
      run.destroyForcibly();
      run.waitFor(30, TimeUnit.SECONDS);
    }

    // the next launcher's setup (its own pid, alive) reaps the container and deletes the directory
    Path mine = tmp.resolve("train." + ProcessHandle.current().pid());
    Cli.Result setup = cli.run("aot-train", "run-setup", mine.toString());
    assertEquals(0, setup.exitCode(), setup.toString());
    assertFalse(Files.exists(left), "the killed training's directory is gone");
    assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains(tmp.toString()), "nothing is mounted under it");
    assertEquals(0, cli.run("aot-train", "run", mine.toString()).exitCode());
    assertFalse(Files.exists(mine));
  }

  private static void awaitMounted(Path dir) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (Files.readString(Path.of("/proc/self/mounts")).contains(dir.toString())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the killed training's container never mounted its rootfs under " + dir);
  }

  @Test
  void unknownModeIsAnError(@TempDir Path tmp) {
    Cli.Result r = new Cli(tmp.resolve("s")).run("aot-train", "fly", tmp.resolve("d").toString());
    assertEquals(125, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown mode \"fly\""), r.toString());
  }
}
