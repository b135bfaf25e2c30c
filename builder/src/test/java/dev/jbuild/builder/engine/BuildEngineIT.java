package dev.jbuild.builder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.StepFailedException;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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

/** The build engine end to end with real overlayfs and runc: instructions, layers, cache, failures. */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class BuildEngineIT {
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

  @Test
  void helloFromScratchWithCmd() throws Exception {
    BuildResult r = f.build(BASE + "CMD [\"sh\"]\n", q -> q.withTags(List.of("hello:1")));
    assertEquals(1, r.layers().size());
    assertEquals(List.of("sh"), r.config().configOrEmpty().cmd());
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(0));
    assertTrue(e.containsKey("bin/busybox"), e.keySet().toString());
    List<HistoryEntry> h = r.config().history();
    assertEquals(2, h.size());
    assertFalse(h.get(0).emptyLayer());
    assertTrue(h.get(1).emptyLayer());
    assertEquals("CMD [\"sh\"]", h.get(1).createdBy());
    assertTrue(new dev.jbuild.store.image.Images(f.store).find("hello:1").isPresent());
  }

  @Test
  void runMakesALayerWithOnlyItsChanges() throws Exception {
    BuildResult r = f.build(BASE + "RUN echo hi > /hello && rm /etc/group && echo out && mkdir -p /d/e\n"
        + "RUN true\n", q -> q.withNetwork(NetworkMode.NONE));
    assertEquals(2, r.layers().size(), "RUN true changes nothing: no layer");
    Map<String, TarArchiveEntry> e = f.entries(r.layers().get(1));
    assertEquals(List.of("d", "d/e", "etc", "etc/.wh.group", "hello"), List.copyOf(e.keySet()));
    assertEquals("hi\n", f.content(r.layers().get(1), "hello"));
    assertTrue(f.output().contains("out"));
    assertTrue(r.config().history().get(2).emptyLayer());
  }

  @Test
  void failingRunSaysWhereWithExitCodeAndOutput() throws Exception {
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> f.build(BASE + "ENV A=1\nRUN echo before-fail; exit 3\n", q -> q.withNetwork(NetworkMode.NONE)));
    assertEquals(3, e.exitCode());
    assertEquals(Optional.of("Buildfile:4:1"), e.place());
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("before-fail"), e.getMessage());
  }

  @Test
  void secondBuildIsCachedAndContentChangesMiss() throws Exception {
    f.write("a.txt", "one");
    String bf = BASE + "COPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\nCMD [\"x\"]\n";
    BuildResult first = f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    BuildResult second = f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    assertEquals(first.manifest().digest(), second.manifest().digest());
    assertEquals(4, f.count(BuildEvent.StepCached.class));
    assertEquals(0, f.count(BuildEvent.StepStarted.class));
    // mtime only: still cached
    Files.setLastModifiedTime(f.context.resolve("a.txt"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    BuildResult third = f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    assertEquals(first.manifest().digest(), third.manifest().digest());
    // content: COPY misses and says why, RUN follows
    f.write("a.txt", "two");
    BuildResult fourth = f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    assertNotEquals(first.manifest().digest(), fourth.manifest().digest());
    assertEquals("two", f.content(fourth.layers().get(2), "b.txt"));
    assertEquals(List.of("file a.txt changed", "an earlier step changed"), f.missReasons());
  }

  @Test
  void buildArgMissesOnlyFromItsFirstUse() throws Exception {
    String bf = BASE + "RUN echo one > /one\nARG V=1\nRUN echo $V > /v\n";
    f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    BuildResult r = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withBuildArgs(Map.of("V", "2")));
    assertEquals(2, f.count(BuildEvent.StepCached.class), "ADD and the first RUN");
    assertEquals(List.of("build arg V changed: \"1\" -> \"2\""), f.missReasons());
    assertEquals("2\n", f.content(r.layers().getLast(), "v"));
  }

  @Test
  void reproducibleWithSourceDateEpoch() throws Exception {
    String bf = BASE + "RUN echo x > /x\nCOPY Buildfile /bf\n";
    Instant epoch = Instant.ofEpochSecond(1700000000);
    BuildResult a = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withNoCache(true)
        .withSourceDateEpoch(Optional.of(epoch)));
    Thread.sleep(1100);
    BuildResult b = f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withNoCache(true)
        .withSourceDateEpoch(Optional.of(epoch)));
    assertEquals(a.manifest().digest(), b.manifest().digest());
    assertEquals(epoch, a.config().created());
    for (TarArchiveEntry e : f.entries(a.layers().get(1)).values()) {
      assertTrue(e.getModTime().toInstant().compareTo(epoch) <= 0, e.getName());
    }
  }

  @Test
  void entrypointResetsInheritedCmdButNotOwn() throws Exception {
    f.build(BASE + "CMD [\"base\"]\n", q -> q.withTags(List.of("base:1")));
    BuildResult r = f.build("FROM base:1\nENTRYPOINT [\"/bin/echo\"]\n");
    ContainerConfig c = r.config().configOrEmpty();
    assertEquals(List.of("/bin/echo"), c.entrypoint());
    assertEquals(List.of(), c.cmd());
    BuildResult own = f.build("FROM base:1\nCMD [\"mine\"]\nENTRYPOINT echo hi\n");
    assertEquals(List.of("mine"), own.config().configOrEmpty().cmd());
    assertEquals(List.of("/bin/sh", "-c", "echo hi"), own.config().configOrEmpty().entrypoint());
  }

  @Test
  void noCacheFilterRebuildsOnlyTheNamedStage() throws Exception {
    String bf = "FROM scratch AS a\nADD rootfs.tar /\nRUN echo a > /a\n"
        + "FROM scratch AS b\nADD rootfs.tar /\nRUN echo b > /b\n"
        + "FROM a\nCOPY --from=b /b /b\n";
    f.build(bf, q -> q.withNetwork(NetworkMode.NONE));
    f.build(bf, q -> q.withNetwork(NetworkMode.NONE).withNoCacheFilter(java.util.Set.of("b")));
    List<String> started = f.events.stream().filter(e -> e instanceof BuildEvent.StepStarted)
        .map(e -> ((BuildEvent.StepStarted) e).step().stage()).toList();
    assertEquals(List.of("b", "b"), started);
    assertEquals(3, f.count(BuildEvent.StepCached.class), "stage a's two steps and the final COPY");

  }
}
