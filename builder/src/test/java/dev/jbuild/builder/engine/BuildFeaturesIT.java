package dev.jbuild.builder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.StepFailedException;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Filesystem semantics of built layers and the instructions' edge cases, with real overlayfs and runc. */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class BuildFeaturesIT {
  @TempDir static Path shared;
  static Path busybox;
  EngineFixture f;

  @BeforeAll
  static void rootfs() throws Exception {
    busybox = EngineFixture.busybox(shared);
  }

  @BeforeEach
  void setUp() throws Exception {
    f = new EngineFixture(busybox);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private static final String BASE = "FROM scratch\nADD rootfs.tar /\n";

  private BuildResult build(String bf) throws Exception {
    return f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
  }

  @Test
  void linksAndSetuidBitsArePreserved() throws Exception {
    BuildResult r = build(BASE + "RUN echo data > /f && ln /f /hard && ln -s /f /soft && chmod 4755 /f\n");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(1));
    assertTrue(e.get("f").isFile());
    assertEquals(04755, e.get("f").getMode() & 07777);
    assertTrue(e.get("hard").isLink());
    assertEquals("f", e.get("hard").getLinkName());
    assertTrue(e.get("soft").isSymbolicLink());
    assertEquals("/f", e.get("soft").getLinkName());
  }

  @Test
  void recreatedDirectoryIsOpaqueAndDeletedFileIsWhiteout() throws Exception {
    BuildResult r = build(BASE + "RUN mkdir -p /d && touch /d/a /d/b /gone\n"
        + "RUN rm -rf /d /gone && mkdir /d && touch /d/c\n");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(2));
    assertEquals(List.of("d", "d/.wh..wh..opq", "d/c", ".wh.gone").stream().sorted().toList(),
        e.keySet().stream().sorted().toList());
  }

  @Test
  void fileBecomesDirectoryAndDirectoryBecomesSymlink() throws Exception {
    BuildResult r = build(BASE + "RUN echo x > /p && mkdir /q && touch /q/inner\n"
        + "RUN rm /p && mkdir /p && touch /p/child && rm -rf /q && ln -s /p /q\n"
        + "RUN test -f /q/child && test ! -e /q/inner\n");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(2));
    assertTrue(e.get("p").isDirectory());
    assertTrue(e.get("q").isSymbolicLink());
    assertFalse(e.containsKey("q/inner"));
  }

  @Test
  void copyFollowsSymlinkedParentInsideTheRootfs() throws Exception {
    f.write("a.txt", "A");
    BuildResult r = build(BASE + "RUN mkdir -p /opt/local && ln -s /opt/local /usr/local\n"
        + "COPY a.txt /usr/local/bin/\n"
        + "RUN test \"$(cat /usr/local/bin/a.txt)\" = A\n");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(2));
    assertTrue(e.containsKey("opt/local/bin/a.txt"), e.keySet().toString());
  }

  @Test
  void hostileSymlinkCannotMakeCopyWriteOnTheHost() throws Exception {
    Path hostDir = Files.createDirectories(f.dir.resolve("host-target"));
    f.write("a.txt", "A");
    BuildResult r = build(BASE + "RUN ln -s " + hostDir + " /evil && ln -s ../../../../../../" + hostDir + " /evil2\n"
        + "COPY a.txt /evil/\nCOPY a.txt /evil2/b.txt\n");
    try (var l = Files.list(hostDir)) {
      assertEquals(0, l.count(), "nothing may be written through an image symlink onto the host");
    }
    assertTrue(f.entries(r.layers().get(2)).containsKey(hostDir.toString().substring(1) + "/a.txt"));
  }

  @Test
  void workdirCreatesAMissingDirectoryAsALayer() throws Exception {
    BuildResult r = build(BASE + "WORKDIR /app/sub\nWORKDIR /tmp\nUSER nobody\nWORKDIR rel\nRUN pwd > out\n");
    assertEquals(4, r.layers().size(), "base, WORKDIR /app/sub, WORKDIR /tmp/rel, RUN");
    Map<String, TarArchiveEntry> app = f.entries(r.layers().get(1));
    assertEquals(List.of("app", "app/sub"), app.keySet().stream().sorted().toList());
    assertTrue(app.get("app/sub").isDirectory());
    assertEquals(0755, app.get("app/sub").getMode() & 07777);
    assertEquals(0, app.get("app/sub").getLongUserId());
    Map<String, TarArchiveEntry> rel = f.entries(r.layers().get(2));
    assertTrue(rel.get("tmp/rel").isDirectory(), rel.keySet().toString());
    assertEquals(65534, rel.get("tmp/rel").getLongUserId(), "made as the USER, as BuildKit does");
    assertEquals("/tmp/rel\n", f.content(r.layers().get(3), "tmp/rel/out"));
    assertEquals("/tmp/rel", r.config().config().workingDir());
    List<Boolean> empty = r.config().history().stream().map(h -> h.emptyLayer()).toList();
    assertEquals(List.of(false, false, true, true, false, false), empty, "WORKDIR /tmp exists: no layer");
    assertTrue(r.config().history().get(1).createdBy().contains("WORKDIR /app/sub"));

    // cached on a rebuild; a base that already has the directory makes no layer
    build(BASE + "WORKDIR /app/sub\nWORKDIR /tmp\nUSER nobody\nWORKDIR rel\nRUN pwd > out\n");
    assertEquals(0, f.count(dev.jbuild.builder.event.BuildEvent.StepStarted.class), f.events.toString());
    BuildResult has = build(BASE + "RUN mkdir -p /app/sub\nWORKDIR /app/sub\n");
    assertEquals(2, has.layers().size());
  }

  @Test
  void copyParentsKeepsTheSourcePathsParents() throws Exception {
    f.write("x/y/a.txt", "A");
    f.write("x/y/b.txt", "B");
    f.write("x/y/skip.md", "S");
    f.write("x/z/c.txt", "C");
    f.write("top.txt", "T");
    Files.setPosixFilePermissions(f.context.resolve("x/y"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    BuildResult r = build("FROM scratch AS src\nADD rootfs.tar /\nRUN mkdir -p /opt/app/lib && chmod 0711 /opt/app && echo L > /opt/app/lib/l.so"
        + " && echo M > /opt/app/lib/m.so && echo N > /opt/app/lib/n.txt\n"
        + "FROM src\n"
        + "COPY --parents x/y/*.txt top.txt /dst/\n"
        + "COPY --parents ./x/./y/*.txt /piv\n"
        + "COPY --parents x/z /dirs/\n"
        + "COPY --from=src --parents /opt/./app/lib/*.so /f/\n"
        + "COPY --from=src --parents /opt/app/lib/n.txt /g/\n");
    int n = r.layers().size();
    assertEquals(List.of("dst", "dst/top.txt", "dst/x", "dst/x/y", "dst/x/y/a.txt", "dst/x/y/b.txt"),
        f.entries(r.layers().get(n - 5)).keySet().stream().sorted().toList());
    assertEquals("A", f.content(r.layers().get(n - 5), "dst/x/y/a.txt"));
    // the kept parents take the source directories' attributes
    assertEquals(0750, f.entries(r.layers().get(n - 5)).get("dst/x/y").getMode() & 07777);
    assertEquals(0750, f.entries(r.layers().get(n - 4)).get("piv/y").getMode() & 07777);
    assertEquals(0711, f.entries(r.layers().get(n - 2)).get("f/app").getMode() & 07777);
    assertEquals(0711, f.entries(r.layers().get(n - 1)).get("g/opt/app").getMode() & 07777);
    assertEquals(List.of("piv", "piv/y", "piv/y/a.txt", "piv/y/b.txt"),
        f.entries(r.layers().get(n - 4)).keySet().stream().sorted().toList());
    assertEquals(List.of("dirs", "dirs/x", "dirs/x/z", "dirs/x/z/c.txt"),
        f.entries(r.layers().get(n - 3)).keySet().stream().sorted().toList());
    assertEquals(List.of("f", "f/app", "f/app/lib", "f/app/lib/l.so", "f/app/lib/m.so"),
        f.entries(r.layers().get(n - 2)).keySet().stream().sorted().toList());
    assertEquals("M\n", f.content(r.layers().get(n - 2), "f/app/lib/m.so"));
    assertEquals("N\n", f.content(r.layers().get(n - 1), "g/opt/app/lib/n.txt"));
  }

  @Test
  void copyFromIsKeyedByTheCopiedFiles() throws Exception {
    String bf = "FROM scratch AS src\nADD rootfs.tar /\nARG OTHER\nARG OUT\nRUN echo $OUT > /out.txt && echo $OTHER > /other\n"
        + "FROM scratch\nCOPY --from=src /out.txt /\n";
    BuildResult first = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withBuildArgs(Map.of("OTHER", "1", "OUT", "v1")));
    // the source stage changes, the copied file does not: the COPY is a hit
    BuildResult second = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withBuildArgs(Map.of("OTHER", "2", "OUT", "v1")));
    assertTrue(f.events.stream().anyMatch(e -> e instanceof dev.jbuild.builder.event.BuildEvent.StepStarted s
        && s.step().text().startsWith("RUN")), "the source stage ran again");
    assertTrue(f.events.stream().anyMatch(e -> e instanceof dev.jbuild.builder.event.BuildEvent.StepCached s
        && s.step().text().startsWith("COPY")), f.events.toString());
    assertEquals(first.layers(), second.layers());
    // the copied file changes: a miss, naming it
    BuildResult third = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withBuildArgs(Map.of("OTHER", "2", "OUT", "v2")));
    assertTrue(f.missReasons().stream().anyMatch(m -> m.contains("from-source:/out.txt")), f.missReasons().toString());
    assertEquals("v2\n", f.content(third.layers().get(0), "out.txt"));
    Throwable missing = assertThrows(StepFailedException.class, () -> build("FROM scratch AS src\nADD rootfs.tar /\n"
        + "FROM scratch\nCOPY --from=src /nope* /\n"));
    assertTrue(missing.getMessage().contains("\"/nope*\" matches nothing"), missing.getMessage());
  }

  @Test
  void copyLinkLayerDoesNotDependOnTheBase() throws Exception {
    f.write("app/a.txt", "A");
    Path tree = Files.createDirectories(f.dir.resolve("linktree/pkg"));
    Files.writeString(tree.resolve("file"), "from the tar");
    Process tar = new ProcessBuilder("tar", "-czf", f.context.resolve("t.tar.gz").toString(), "-C",
        f.dir.resolve("linktree").toString(), "pkg").redirectErrorStream(true).start();
    assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes()));
    Optional<java.time.Instant> epoch = Optional.of(java.time.Instant.ofEpochSecond(1_700_000_000));
    String tail = "COPY app /dst/plain/\nCOPY --link --chown=nobody app /dst/sub/\nADD --link t.tar.gz /dst/x/\n";
    BuildResult one = f.build(BASE + "RUN mkdir -m 700 /dst\n" + tail,
        q -> q.withNetwork(NetworkMode.NONE).withSourceDateEpoch(epoch));
    BuildResult two = f.build(BASE + "RUN mkdir -m 751 /dst && ln -s /tmp /dst/sub && ln -s /tmp /dst/x\n" + tail,
        q -> q.withNetwork(NetworkMode.NONE).withSourceDateEpoch(epoch));
    int n = one.layers().size();
    Map<String, TarArchiveEntry> link = f.entries(one.layers().get(n - 2));
    assertEquals(List.of("dst", "dst/sub", "dst/sub/a.txt"), link.keySet().stream().filter(k -> !k.isEmpty()).sorted().toList());
    assertEquals(0755, link.get("dst").getMode() & 07777, "parents made with default modes, not the base's 0700");
    assertEquals(65534, link.get("dst/sub/a.txt").getLongUserId(), "--chown names resolved in the base");
    for (int i : new int[] {n - 2, n - 1}) {
      assertEquals(one.config().rootfs().diffIds().get(i), two.config().rootfs().diffIds().get(i),
          "a --link layer is the same over another base");
    }
    assertFalse(one.config().rootfs().diffIds().get(n - 3).equals(two.config().rootfs().diffIds().get(n - 3)),
        "a plain COPY's layer carries the base's /dst");
    // over a base where /dst/sub and /dst/x are symlinks, the --link layers are not written through them
    assertEquals("A", f.content(two.layers().get(n - 2), "dst/sub/a.txt"));
    assertTrue(f.entries(two.layers().get(n - 2)).get("dst/sub").isDirectory());
    // ADD --link extracts the archive into its own layer
    assertEquals("from the tar", f.content(two.layers().get(n - 1), "dst/x/pkg/file"));
    assertTrue(f.entries(two.layers().get(n - 1)).get("dst/x").isDirectory());
  }

  /**
   * Two parallel stages use one cache mount: each marks itself running in the cache dir, then watches for the
   * other's mark for up to 5 s. Shared: they meet; locked: they never do, and the second sees the first's
   * files; private: they never do, and each sees only its own files (the second got a directory of its own).
   */
  @Test
  void cacheMountSharingModes() throws Exception {
    assertEquals("together together", sharing("shared").get(0));
    List<String> locked = sharing("locked");
    assertEquals("alone alone", locked.get(0));
    assertTrue(locked.get(1).equals("a b") || locked.get(2).equals("a b"), locked.toString());
    List<String> priv = sharing("private");
    assertEquals(List.of("alone alone", "a", "b"), priv);
    try (var l = Files.list(f.store.root().cache().resolve("mounts"))) {
      assertEquals(1, l.filter(p -> p.getFileName().toString().endsWith("-private-1")).count(), "one private copy");
    }
  }

  /** The meeting results of stages a and b, then what each saw in the cache dir. */
  private List<String> sharing(String mode) throws Exception {
    // shared and private steps first meet in another (shared) cache dir, so they surely overlap
    String sync = mode.equals("locked") ? "" : " --mount=type=cache,target=/sync,id=sync-" + mode;
    String run = "RUN --mount=type=cache,target=/c,id=" + mode + ",sharing=" + mode + sync + " sh -c '"
        + "if [ -d /sync ]; then touch /sync/$ME-ready; j=0; while [ ! -e /sync/$OTHER-ready ] && [ $j -lt 600 ]; do "
        + "sleep 0.1; j=$((j+1)); done; fi; "
        + "touch /c/$ME-running /c/$ME; r=alone; i=0; while [ $i -lt 50 ]; do "
        + "if [ -e /c/$OTHER-running ]; then r=together; sleep 1; break; fi; sleep 0.1; i=$((i+1)); done; "
        + "rm /c/$ME-running; mkdir /res; echo $r > /res/r; ls /c | tr \"\\n\" \" \" > /res/seen'\n";
    BuildResult r = build(BASE.replace("FROM scratch", "FROM scratch AS base")
        + "FROM base AS a\nENV ME=a OTHER=b\n" + run
        + "FROM base AS b\nENV ME=b OTHER=a\n" + run
        + "FROM scratch\nCOPY --from=a /res /a/\nCOPY --from=b /res /b/\n");
    String a = f.content(r.layers().get(0), "a/r").strip();
    String b = f.content(r.layers().get(1), "b/r").strip();
    return List.of(a + " " + b, f.content(r.layers().get(0), "a/seen").strip(), f.content(r.layers().get(1), "b/seen").strip());
  }

  @Test
  void chownAndChmod() throws Exception {
    f.write("a.txt", "A");
    f.write("d/x", "X");
    BuildResult r = build(BASE + "COPY --chown=nobody:nogroup --chmod=750 a.txt /a\nCOPY --chown=1234 d /d\n");
    TarArchiveEntry a = f.entries(r.layers().get(1)).get("a");
    assertEquals(65534, a.getLongUserId());
    assertEquals(65534, a.getLongGroupId());
    assertEquals(0750, a.getMode() & 07777);
    Map<String, TarArchiveEntry> d = f.entries(r.layers().get(2));
    assertEquals(1234, d.get("d/x").getLongUserId());
    assertEquals(1234, d.get("d/x").getLongGroupId());
  }

  @Test
  void ignoreFileExclusionsAndReincludes() throws Exception {
    f.write("dir/keep.txt", "k");
    f.write("dir/drop.txt", "d");
    f.write("dir/sub/also.txt", "a");
    f.write(".dockerignore", "dir\n!dir/keep.txt\n");
    BuildResult r = build(BASE + "COPY dir /dir\n");
    List<String> names = f.entries(r.layers().get(1)).keySet().stream().sorted().toList();
    assertEquals(List.of("dir", "dir/keep.txt"), names);
    StepFailedException e = assertThrows(StepFailedException.class, () -> build(BASE + "COPY dir/drop.txt /x\n"));
    assertTrue(e.getMessage().contains("excluded"), e.getMessage());
  }

  @Test
  void directoryContentsWildcardsAndTrailingSlash() throws Exception {
    f.write("src/a.c", "a");
    f.write("src/b.c", "b");
    f.write("src/n/c.h", "c");
    BuildResult r = build(BASE + "COPY src /out\nCOPY src/*.c /cs/\nCOPY src/a.c /file\n");
    assertEquals(List.of("out", "out/a.c", "out/b.c", "out/n", "out/n/c.h"),
        f.entries(r.layers().get(1)).keySet().stream().sorted().toList());
    assertEquals(List.of("cs", "cs/a.c", "cs/b.c"), f.entries(r.layers().get(2)).keySet().stream().sorted().toList());
    assertEquals("a", f.content(r.layers().get(3), "file"));
    StepFailedException e = assertThrows(StepFailedException.class, () -> build(BASE + "COPY src/*.c /notdir\n"));
    assertTrue(e.getMessage().contains("must be a directory"), e.getMessage());
  }

  @Test
  void addExtractsCompressedTarsButCopyDoesNot() throws Exception {
    Path tree = Files.createDirectories(f.dir.resolve("tree/pkg"));
    Files.writeString(tree.resolve("file"), "content");
    for (String[] z : List.of(new String[] {"t.tar.gz", "-z"}, new String[] {"t.tar.bz2", "-j"},
        new String[] {"t.tar.xz", "-J"}, new String[] {"t.tar.zst", "--zstd"}, new String[] {"t.tar", "--no-auto-compress"})) {
      Process p = new ProcessBuilder("tar", z[1], "-cf", f.context.resolve(z[0]).toString(), "-C",
          f.dir.resolve("tree").toString(), "pkg").redirectErrorStream(true).start();
      assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }
    BuildResult r = build(BASE + "ADD t.tar.gz /gz/\nADD t.tar.bz2 /bz/\nADD t.tar.xz /xz\nADD t.tar.zst /zst\n"
        + "ADD t.tar /plain\nCOPY t.tar.gz /copied/\n");
    assertEquals("content", f.content(r.layers().get(1), "gz/pkg/file"));
    assertEquals("content", f.content(r.layers().get(2), "bz/pkg/file"));
    assertEquals("content", f.content(r.layers().get(3), "xz/pkg/file"));
    assertEquals("content", f.content(r.layers().get(4), "zst/pkg/file"));
    assertEquals("content", f.content(r.layers().get(5), "plain/pkg/file"));
    assertTrue(f.entries(r.layers().get(6)).containsKey("copied/t.tar.gz"));
  }

  @Test
  void multiStageCopiesFromStagesAndSkipsUnusedOnes() throws Exception {
    BuildResult r = build("ARG BASE=scratch\nFROM $BASE AS tools\nADD rootfs.tar /\nRUN echo built > /artifact\n"
        + "FROM tools AS unused\nRUN exit 7\n"
        + "FROM scratch\nCOPY --from=tools /artifact /artifact\nCOPY --from=0 /bin/busybox /busybox\n");
    assertEquals(2, r.layers().size());
    assertEquals("built\n", f.content(r.layers().get(0), "artifact"));
    BuildResult target = f.build("FROM scratch AS a\nADD rootfs.tar /\nRUN echo a > /a\nFROM a AS b\nRUN exit 9\n",
        q -> q.withNetwork(NetworkMode.NONE).withTarget(Optional.of("a")));
    assertEquals(2, target.layers().size());
  }

  @Test
  void heredocsForCopyAndRun() throws Exception {
    BuildResult r = build(BASE + "ENV NAME=world\nCOPY <<EOF /greeting\nhello $NAME\nEOF\n"
        + "RUN <<EOF\necho one > /one\necho two > /two\nEOF\n"
        + "RUN cat <<EOF > /three\nthree\nEOF\n");
    assertEquals("hello world\n", f.content(r.layers().get(1), "greeting"));
    assertEquals("two\n", f.content(r.layers().get(2), "two"));
    assertEquals("three\n", f.content(r.layers().get(3), "three"));
  }

  @Test
  void metadataInstructionsGoToTheConfig() throws Exception {
    BuildResult r = f.build(BASE + "ENV A=1 B=\"two words\"\nLABEL l=v\nEXPOSE 80 53/udp\nVOLUME /data\n"
        + "USER nobody\nWORKDIR /w\nWORKDIR sub\nSTOPSIGNAL SIGINT\nHEALTHCHECK --interval=5s CMD true\n"
        + "SHELL [\"/bin/sh\", \"-ec\"]\nONBUILD RUN echo child > /tmp/child\nUSER root\nRUN id -u > /tmp/uid; pwd > /tmp/pwd\n"
        + "USER nobody\n", q -> q.withNetwork(NetworkMode.NONE).withTags(List.of("parent:1")));
    var c = r.config().configOrEmpty();
    assertTrue(c.env().contains("A=1") && c.env().contains("B=two words"), c.env().toString());
    assertEquals(Map.of("l", "v"), c.labels());
    assertEquals(java.util.Set.of("80/tcp", "53/udp"), c.exposedPorts());
    assertEquals(java.util.Set.of("/data"), c.volumes());
    assertEquals("nobody", c.user());
    assertEquals("/w/sub", c.workingDir());
    assertEquals("SIGINT", c.stopSignal());
    assertEquals(List.of("CMD-SHELL", "true"), c.healthcheck().test());
    assertEquals(List.of("/bin/sh", "-ec"), c.shell());
    assertEquals(List.of("RUN echo child > /tmp/child"), c.onBuild());
    assertEquals("0\n", f.content(r.layers().getLast(), "tmp/uid"));
    assertEquals("/w/sub\n", f.content(r.layers().getLast(), "tmp/pwd"));
    String json = new String(dev.jbuild.store.oci.OciJson.write(r.config()), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":5000000000}"), json);
    // a child runs the trigger first, and does not pass it on
    BuildResult child = build("FROM parent:1\nUSER root\nRUN id -un > /me\n");
    assertEquals("child\n", f.content(child.layers().get(child.layers().size() - 2), "tmp/child"));
    assertEquals("root\n", f.content(child.layers().getLast(), "me"));
    assertEquals(List.of(), child.config().configOrEmpty().onBuild());
    assertTrue(f.events.stream().anyMatch(e -> e instanceof dev.jbuild.builder.event.BuildEvent.StepStarted s
        && s.step().text().equals("ONBUILD RUN echo child > /tmp/child") && s.step().index() == 1), f.events.toString());
  }

  @Test
  void bridgeNetworkIsSharedByRunSteps() throws Exception {
    BuildResult r = f.build(BASE + "RUN ip -4 addr show eth0 | grep -o 'inet [0-9.]*' > /ip1\n"
        + "RUN ip -4 addr show eth0 | grep -o 'inet [0-9.]*' > /ip2 && cat /etc/resolv.conf > /dev/null\n");
    String ip1 = f.content(r.layers().get(1), "ip1");
    String ip2 = f.content(r.layers().get(2), "ip2");
    assertTrue(ip1.startsWith("inet 10."), ip1);
    assertEquals(ip1, ip2, "one namespace for the whole build");
    assertFalse(f.entries(r.layers().get(1)).containsKey("etc/resolv.conf"), "mount stubs stay out of layers");
  }

  @Test
  void cacheMountsAndSecretsStayOutOfLayers() throws Exception {
    Path secret = f.dir.resolve("secret.txt");
    Files.writeString(secret, "s3cr3t");
    String bf = BASE + "RUN --mount=type=cache,target=/cache echo x >> /cache/log && wc -l < /cache/log > /count\n"
        + "RUN --mount=type=secret,id=tok cat /run/secrets/tok | wc -c > /len\n";
    BuildResult r = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withSecrets(
        Map.of("tok", new BuildRequest.Secret("tok", Optional.of(secret), Optional.empty()))));
    assertEquals("6\n", f.content(r.layers().get(2), "len").strip() + "\n");
    assertFalse(f.entries(r.layers().get(1)).keySet().stream().anyMatch(n -> n.startsWith("cache")));
    assertFalse(f.entries(r.layers().get(2)).keySet().stream().anyMatch(n -> n.startsWith("run")));
    BuildResult again = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withNoCache(true).withSecrets(
        Map.of("tok", new BuildRequest.Secret("tok", Optional.of(secret), Optional.empty()))));
    assertEquals("2", f.content(again.layers().get(1), "count").strip(), "the cache dir persists");
    String config = new String(dev.jbuild.store.oci.OciJson.write(again.config()), StandardCharsets.UTF_8);
    assertFalse(config.contains("s3cr3t"));
  }

  @Test
  void addFetchesUrlsAndVerifiesChecksums() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = "downloaded content\n".getBytes(StandardCharsets.UTF_8);
    server.createContext("/files/data.txt", ex -> {
      ex.getResponseHeaders().add("Last-Modified", "Tue, 15 Nov 1994 08:12:31 GMT");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/data.txt";
      String sum = dev.jbuild.store.digest.Digest.of(body).toString();
      BuildResult r = build(BASE + "ADD --checksum=" + sum + " " + url + " /dl/\n");
      TarArchiveEntry e = f.entries(r.layers().get(1)).get("dl/data.txt");
      assertEquals(0600, e.getMode() & 07777);
      assertEquals(java.time.Instant.parse("1994-11-15T08:12:31Z"), e.getModTime().toInstant());
      assertEquals("downloaded content\n", f.content(r.layers().get(1), "dl/data.txt"));
      String wrong = dev.jbuild.store.digest.Digest.of("other").toString();
      StepFailedException ex = assertThrows(StepFailedException.class,
          () -> build(BASE + "ADD --checksum=" + wrong + " " + url + " /dl/\n"));
      assertTrue(ex.getMessage().contains("checksum"), ex.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void runNetworkFlagAndCopyExclude() throws Exception {
    f.write("src/a.txt", "a");
    f.write("src/b.log", "b");
    f.write("src/sub/c.log", "c");
    BuildResult r = f.build(BASE + "RUN --network=none ls /sys/class/net > /nets\n"
        + "COPY --exclude=*.log --exclude=sub src /src\n");
    assertEquals("lo\n", f.content(r.layers().get(1), "nets"));
    assertEquals(List.of("src", "src/a.txt"), f.entries(r.layers().get(2)).keySet().stream().sorted().toList());
  }

  @Test
  void squashFoldsTheStagesLayersIntoOne() throws Exception {
    f.build(BASE + "RUN echo base > /base\n", q -> q.withNetwork(NetworkMode.NONE).withTags(List.of("sqbase:1")));
    BuildResult r = f.build("FROM sqbase:1\nRUN echo a > /a && mkdir -p /d/old && echo x > /d/old/x && rm /base\n"
        + "RUN rm /a && echo b > /b && ln /b /b2\nRUN rm -rf /d && mkdir /d && touch /d/new\nCMD [\"sh\"]\n",
        q -> q.withNetwork(NetworkMode.NONE).withSquash(true));
    assertEquals(3, r.layers().size(), "the base's two layers and one squashed layer");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(2));
    assertTrue(e.containsKey(".wh.base"), e.keySet().toString());
    assertTrue(e.get("b").isFile());
    assertTrue(e.get("b2").isLink());
    assertTrue(e.containsKey("d/.wh..wh..opq") && e.containsKey("d/new") && !e.containsKey("d/old"), e.keySet().toString());
    assertFalse(e.containsKey("a") && e.get("a").isFile());
    assertEquals(3, r.config().history().stream().filter(h -> !h.emptyLayer()).count());
    assertEquals(List.of("sh"), r.config().configOrEmpty().cmd());
  }
}
