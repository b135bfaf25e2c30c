package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * save and load against tools nobody here wrote: skopeo, umoci and podman read what jbuild saves,
 * and jbuild loads what skopeo writes, on an image imported from a real busybox root filesystem.
 */
@RequiresTools({"busybox"})
class ArchiveInteropIT {
  @TempDir Path tmp;
  Path rootfs;
  Path root;
  Cli jbuild;

  @BeforeEach
  void busybox() throws Exception {
    rootfs = tmp.resolve("rootfs.tar");
    Proc.run(Map.of(), "bash", Shared.dir().resolve("bench/make-busybox-rootfs.sh").toString(), rootfs.toString()).ok();
    root = tmp.resolve("store");
    jbuild = new Cli(root);
    Cli.Result r = jbuild.run("import", rootfs.toString(), "busybox:1");
    assertEquals(0, r.exitCode(), r::toString);
  }

  private Image source() throws IOException {
    return new Images(Store.open(StoreRoot.of(root))).resolve("busybox:1");
  }

  @Test
  void busyboxRoundTripsThroughEveryFormat() throws Exception {
    Image src = source();
    for (String format : List.of("oci-archive", "docker-archive", "oci-dir")) {
      Path out = tmp.resolve("saved-" + format);
      Cli.Result save = jbuild.run("save", "--format", format, "-o", out.toString(), "busybox:1");
      assertEquals(0, save.exitCode(), save::toString);
      Path dstRoot = tmp.resolve("dst-" + format);
      Cli.Result load = new Cli(dstRoot).run("load", "-i", out.toString());
      assertEquals(0, load.exitCode(), load::toString);
      assertEquals("Loaded image: busybox:1\n", load.out());
      Store dst = Store.open(StoreRoot.of(dstRoot));
      Image got = new Images(dst).resolve("busybox:1");
      assertEquals(src.id(), got.id(), format);
      if (!format.equals("docker-archive")) {
        assertEquals(src.manifestDigest(), got.manifestDigest(), format);
      }
      ImageValidator.validate(dst, got.manifestDescriptor());
    }
  }

  @Test
  @RequiresTools({"skopeo", "busybox"})
  void skopeoCopiesTheSavedOciArchiveWithDigestsPreserved() throws Exception {
    Path archive = tmp.resolve("bb.tar");
    assertEquals(0, jbuild.run("save", "-o", archive.toString(), "busybox:1").exitCode());
    Path layout = tmp.resolve("copy");
    Proc.run(Map.of(), "skopeo", "--insecure-policy", "copy", "oci-archive:" + archive + ":busybox:1",
        "oci:" + layout + ":x").ok();
    Index index = OciJson.read(Files.readAllBytes(layout.resolve("index.json")), Index.class);
    Descriptor copied = index.manifests().stream()
        .filter(d -> "x".equals(d.annotationsOrEmpty().get(Annotations.REF_NAME))).findFirst().orElseThrow();
    assertEquals(source().manifestDigest(), copied.digest());
    for (Descriptor l : source().layers()) {
      assertTrue(Files.isRegularFile(layout.resolve("blobs/sha256/" + l.digest().hex())), l.digest().toString());
    }
  }

  @Test
  @RequiresTools({"skopeo", "busybox"})
  void jbuildLoadsArchivesSkopeoWrote() throws Exception {
    Image src = source();
    Path dockerArchive = tmp.resolve("skopeo-docker.tar");
    Proc.run(Map.of(), "skopeo", "--insecure-policy", "copy", "oci:" + root.resolve("oci") + ":busybox:1",
        "docker-archive:" + dockerArchive + ":busybox:copied").ok();
    Path ociArchive = tmp.resolve("skopeo-oci.tar");
    Proc.run(Map.of(), "skopeo", "--insecure-policy", "copy", "oci:" + root.resolve("oci") + ":busybox:1",
        "oci-archive:" + ociArchive + ":busybox:oci").ok();

    Path dstRoot = tmp.resolve("dst");
    Cli dst = new Cli(dstRoot);
    Cli.Result r = dst.run("load", "-i", dockerArchive.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("Loaded image: busybox:copied\n", r.out());
    Cli.Result r2 = dst.run("load", "-i", ociArchive.toString());
    assertEquals(0, r2.exitCode(), r2::toString);
    assertEquals("Loaded image: busybox:oci\n", r2.out());

    Store store = Store.open(StoreRoot.of(dstRoot));
    Image fromDocker = new Images(store).resolve("busybox:copied");
    assertEquals(src.id(), fromDocker.id());
    assertEquals(src.manifestDigest(), new Images(store).resolve("busybox:oci").manifestDigest());
    ImageValidator.validate(store, fromDocker.manifestDescriptor());
    assertEquals(0, dst.run("verify").exitCode());
  }

  @Test
  @RequiresRoot
  @RequiresTools({"umoci", "busybox"})
  void umociUnpacksTheSavedLayoutToTheSourceTree() throws Exception {
    Path layout = tmp.resolve("layout");
    assertEquals(0, jbuild.run("save", "--format", "oci-dir", "-o", layout.toString(), "busybox:1").exitCode());
    Path bundle = tmp.resolve("bundle");
    try {
      Proc.run(Map.of(), "umoci", "unpack", "--image", layout + ":busybox:1", bundle.toString()).ok();
      assertTreeMatchesRootfs(bundle.resolve("rootfs"));
    } finally {
      // the tree holds absolute symlinks (bin/sh -> /bin/busybox), which @TempDir cleanup warns about
      Proc.run(Map.of(), "rm", "-rf", bundle.toString());
    }
  }

  private void assertTreeMatchesRootfs(Path tree) throws IOException {
    int checked = 0;
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(rootfs))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        String name = e.getName().replaceFirst("^\\./", "");
        if (name.isEmpty()) {
          continue;
        }
        Path p = tree.resolve(name);
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), name);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (e.isSymbolicLink()) {
          assertEquals(e.getLinkName(), Files.readSymbolicLink(p).toString(), name);
        } else {
          assertEquals(e.getMode() & 07777, mode & 07777, name);
          if (e.isDirectory()) {
            assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), name);
          } else {
            assertEquals(Digest.of(in.readAllBytes()), Digest.of(Files.readAllBytes(p)), name);
          }
        }
        checked++;
      }
    }
    assertTrue(checked > 100, "busybox rootfs has its applet links: " + checked);
  }

  @Test
  @RequiresRoot
  @RequiresTools({"podman", "busybox"})
  void podmanLoadsTheSavedDockerArchive() throws Exception {
    Path archive = tmp.resolve("bb-docker.tar");
    assertEquals(0, jbuild.run("save", "--format", "docker-archive", "-o", archive.toString(), "busybox:1").exitCode());
    Path work = Files.createTempDirectory("jbuild-podman-");
    Map<String, String> env = podmanConfig(work);
    try {
      Proc load = Proc.run(env, "podman", "load", "-i", archive.toString()).ok();
      assertTrue(load.out().contains("busybox:1"), load.out());
      Proc images = Proc.run(env, "podman", "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").ok();
      Digest id = source().id();
      // podman names a short RepoTag (as docker writes it) localhost/NAME, as it does for docker save's archives
      assertTrue(images.out().lines().anyMatch(l -> l.equals("localhost/busybox:1 " + id)
              || l.equals("docker.io/library/busybox:1 " + id)),
          images.out() + " does not list " + id);
    } finally {
      Proc.run(env, "podman", "system", "reset", "-f");
      unmountUnder(work);
      Proc.run(Map.of(), "rm", "-rf", work.toString());
    }
  }

  // As ../shared/bench/anchors.sh: runc, cgroupfs, and rlimits no higher than this process's hard limits.
  private static Map<String, String> podmanConfig(Path work) throws Exception {
    Path conf = Files.createDirectories(work.resolve("conf"));
    String nofileText = Proc.run(Map.of(), "bash", "-c", "ulimit -Hn").ok().out().trim();
    String nprocText = Proc.run(Map.of(), "bash", "-c", "ulimit -Hu").ok().out().trim();
    long nofile = nofileText.equals("unlimited") ? 1048576 : Math.min(1048576, Long.parseLong(nofileText));
    long nproc = nprocText.equals("unlimited") ? 32768 : Math.min(32768, Long.parseLong(nprocText));
    Files.writeString(conf.resolve("containers.conf"), """
        [containers]
        default_ulimits = ["nofile=%d:%d", "nproc=%d:%d"]

        [engine]
        runtime = "runc"
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        tmp_dir = "%s"

        [network]
        network_config_dir = "%s"
        """.formatted(nofile, nofile, nproc, nproc, work.resolve("run/libpod"), work.resolve("networks")));
    Files.writeString(conf.resolve("storage.conf"), """
        [storage]
        driver = "overlay"
        graphroot = "%s"
        runroot = "%s"
        """.formatted(work.resolve("storage"), work.resolve("run/storage")));
    Map<String, String> env = new HashMap<>();
    env.put("CONTAINERS_CONF", conf.resolve("containers.conf").toString());
    env.put("CONTAINERS_STORAGE_CONF", conf.resolve("storage.conf").toString());
    return env;
  }

  private static void unmountUnder(Path dir) throws Exception {
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String point = line.split(" ")[4];
      if (point.startsWith(dir.toString() + "/")) {
        mounts.add(point);
      }
    }
    // deepest first
    mounts.sort((a, b) -> b.length() - a.length());
    for (String m : mounts) {
      Proc.run(Map.of(), "umount", "-l", m);
    }
  }

  /** A finished external process: exit code and its combined output. */
  record Proc(List<String> cmd, int exitCode, String out) {
    static Proc run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
      return new Proc(List.of(cmd), p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Proc ok() {
      assertEquals(0, exitCode, () -> String.join(" ", cmd) + " failed:\n" + out);
      return this;
    }
  }
}
