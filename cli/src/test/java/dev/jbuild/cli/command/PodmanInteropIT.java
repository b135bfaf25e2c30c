package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An image built by jbuild and exported with {@code --output type=oci} runs under podman, configured as
 * ../shared/bench/anchors.sh does (its own containers.conf and storage.conf in a temp dir, runc, cgroupfs,
 * capped ulimits), so the system's container storage is not touched; the storage is reset afterwards.
 */
@RequiresRoot
@RequiresTools({"runc", "podman"})
class PodmanInteropIT {
  Path dir;
  Path runroot;
  Map<String, String> podmanEnv;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-podman-");
    runroot = Files.createTempDirectory(Path.of("/run"), "jbuild-podman-test-");
    Files.writeString(dir.resolve("containers.conf"), """
        [containers]
        default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
        [engine]
        runtime = "runc"
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        tmp_dir = "%s/libpod"
        """.formatted(runroot));
    Files.writeString(dir.resolve("storage.conf"), """
        [storage]
        driver = "overlay"
        graphroot = "%s/storage"
        runroot = "%s/storage"
        """.formatted(dir, runroot));
    podmanEnv = Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
        "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      podman(false, "system", "reset", "-f");
    } finally {
      List<String> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String mp = line.split(" ")[1];
        if (mp.startsWith(dir.toString()) || mp.startsWith(runroot.toString())) {
          mounts.add(mp);
        }
      }
      mounts.sort(java.util.Comparator.reverseOrder());
      for (String m : mounts) {
        new ProcessBuilder("umount", "-l", m).start().waitFor();
      }
      Whiteouts.deleteTree(dir);
      Whiteouts.deleteTree(runroot);
    }
  }

  private String podman(boolean check, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(podmanEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    if (check) {
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
    return out;
  }

  @Test
  void exportedImageRunsUnderPodman() throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), ctx.resolve("rootfs.tar").toString());
    Files.writeString(ctx.resolve("Buildfile"), """
        FROM scratch
        ADD rootfs.tar /
        ENV WHO=podman
        RUN echo "hello $WHO" > /hi
        CMD ["cat", "/hi"]
        """);
    Path archive = dir.resolve("img.tar");
    Cli.Result r = new Cli(dir.resolve("store")).run("build", "-q", "--network", "none", "-t", "interop:1",
        "--output", "type=oci,dest=" + archive, ctx.toString());
    assertEquals(0, r.exitCode(), r.toString());
    String out = podman(true, "run", "--rm", "--network", "none", "oci-archive:" + archive + ":interop:1");
    assertTrue(out.strip().endsWith("hello podman"), out);
  }
}
