package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.cli.JbuildProcess;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RUN --mount=type=cache,sharing=locked|private} between two jbuild processes on one store: each step marks
 * itself running in the cache dir and watches for the other's mark for up to 8 s. Locked: the second build waits
 * for the first (they never meet, the second sees the first's files); private: they run at once in different dirs.
 */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class CacheMountSharingIT {
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-cache-sharing-");
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  @Test
  void lockedSerialisesTwoProcessesAndPrivateSeparatesThem() throws Exception {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path rootfs = dir.resolve("rootfs.tar");
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), rootfs.toString());
    Path store = dir.resolve("store");
    Cli cli = new Cli(store);
    assertEquals(0, cli.run("import", rootfs.toString(), "bb:latest").exitCode());

    List<String> locked = both("locked");
    assertEquals("alone alone", locked.get(0), locked.toString());
    assertTrue(locked.get(1).equals("a b") || locked.get(2).equals("a b"), locked.toString());
    List<String> priv = both("private");
    assertEquals(List.of("alone alone", "a", "b"), priv);
  }

  /** Builds a and b at once in two processes; returns the meeting results, then what each saw in the cache. */
  private List<String> both(String mode) throws Exception {
    Path store = dir.resolve("store");
    // two threads of their own: the common pool has one thread on a 2-core machine
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<JbuildProcess.Result> a = CompletableFuture.supplyAsync(() -> build(store, mode, "a", "b"), pool);
      CompletableFuture<JbuildProcess.Result> b = CompletableFuture.supplyAsync(() -> build(store, mode, "b", "a"), pool);
      for (JbuildProcess.Result r : List.of(a.get(), b.get())) {
        assertEquals(0, r.exitCode(), r.out() + r.err());
      }
      if (mode.equals("locked")) {
        String both = a.get().err() + b.get().err();
        assertTrue(both.contains("waiting for cache mount locked (sharing=locked), in use by another step"), both);
      }
    } finally {
      pool.shutdown();
    }
    Cli cli = new Cli(store);
    String ra = out(cli, mode + "-a", "/res/r");
    String rb = out(cli, mode + "-b", "/res/r");
    return List.of(ra + " " + rb, out(cli, mode + "-a", "/res/seen"), out(cli, mode + "-b", "/res/seen"));
  }

  private static String out(Cli cli, String image, String file) {
    Cli.Result r = cli.run("run", "--rm", "--network", "none", image + ":1", "cat", file);
    assertEquals(0, r.exitCode(), r.toString());
    return r.out().strip();
  }

  private JbuildProcess.Result build(Path store, String mode, String me, String other) {
    try {
      Path ctx = Files.createDirectories(dir.resolve("ctx-" + mode + "-" + me));
      // private steps first meet in another (shared) cache dir, so they surely overlap
      String sync = mode.equals("locked") ? "" : " --mount=type=cache,target=/sync,id=sync-" + mode;
      Files.writeString(ctx.resolve("Buildfile"), "FROM bb:latest\nENV ME=" + me + " OTHER=" + other + "\n"
          + "RUN --mount=type=cache,target=/c,id=" + mode + ",sharing=" + mode + sync + " sh -c '"
          + "if [ -d /sync ]; then touch /sync/$ME-ready; j=0; while [ ! -e /sync/$OTHER-ready ] && [ $j -lt 600 ]; do "
          + "sleep 0.1; j=$((j+1)); done; fi; "
          + "touch /c/$ME-running /c/$ME; r=alone; i=0; while [ $i -lt 80 ]; do "
          + "if [ -e /c/$OTHER-running ]; then r=together; sleep 1; break; fi; sleep 0.1; i=$((i+1)); done; "
          + "rm /c/$ME-running; mkdir /res; echo $r > /res/r; ls /c | tr \"\\n\" \" \" > /res/seen'\n");
      return JbuildProcess.run(store, "build", "--network", "none", "--progress", "plain", "-t", mode + "-" + me + ":1",
          ctx.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
