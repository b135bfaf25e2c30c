package dev.jbuild.builder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.Builder;
import dev.jbuild.builder.exec.Snapshots;
import dev.jbuild.runtime.RunRequest;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.snapshot.SnapshotStore;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Builds every example of Buildfile-examples/ and runs the image it makes. */
@RequiresRoot
@RequiresTools({"runc"})
@ExtendWith(LeakCheck.class)
class ExamplesIT {
  static final Path EXAMPLES = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize()
      .resolve("Buildfile-examples");
  Path dir;
  Store store;
  RuntimeConfig runtimeConfig;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-rt-examples-");
    store = Store.open(StoreRoot.of(dir.resolve("store")).create());
    runtimeConfig = RuntimeConfig.defaults(store.root().path(), System.getenv());
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  /** Copies the example into a temp context with the busybox rootfs next to it, and builds it. */
  private BuildResult build(String example, Optional<String> target) throws Exception {
    Path ctx = Files.createTempDirectory(dir, example + "-");
    copyTree(EXAMPLES.resolve(example), ctx);
    Files.copy(EngineFixture.busybox(Files.createTempDirectory(dir, "bb-")), ctx.resolve("rootfs.tar"));
    BuildResult r = new Builder(store, runtimeConfig).build(
        BuildRequest.of(ctx, ctx.resolve("Buildfile")).withTarget(target).withNetwork(NetworkMode.NONE), e -> { });
    ImageValidator.validate(store, r.manifest());
    return r;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private List<Path> lowers(BuildResult r) throws Exception {
    return new Snapshots(store.blobs(), new SnapshotStore(store.root().path())).lowers(r.layers(),
        r.config().rootfs().diffIds());
  }

  private ContainerSpec spec(BuildResult r) {
    ContainerConfig c = r.config().configOrEmpty();
    List<String> args = new ArrayList<>(c.entrypoint());
    args.addAll(c.cmd());
    return ContainerSpec.of(args).withEnv(c.env()).withUser(c.user()).withWorkdir(c.workingDir())
        .withNetwork(NetworkMode.NONE);
  }

  /** Runs the image's command in the foreground; returns its stdout. */
  private String run(BuildResult r) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    int code = new Runtime(runtimeConfig).run(RunRequest.of(lowers(r), spec(r)).withAutoRemove(true)
        .withStdio(new Stdio.Files(out, err)));
    assertEquals(0, code, Files.exists(err) ? Files.readString(err) : "");
    return Files.readString(out);
  }

  @Test
  void hello() throws Exception {
    assertEquals("hello from jbuild\n", run(build("hello", Optional.empty())));
  }

  @Test
  void multiStage() throws Exception {
    BuildResult r = build("multi-stage", Optional.empty());
    assertEquals("built by a multi-stage build\n", run(r));
    BuildResult builder = build("multi-stage", Optional.of("builder"));
    assertEquals("/src", builder.config().configOrEmpty().workingDir());
  }

  @Test
  void heredocs() throws Exception {
    assertEquals("hello from heredocs\nexpanded at run time: heredocs\n", run(build("heredocs", Optional.empty())));
  }

  @Test
  void mounts() throws Exception {
    BuildResult first = build("mounts", Optional.empty());
    assertEquals("input from the build context\n1\n", run(first));
  }

  @Test
  void webServerAnswersOnAPublishedPort() throws Exception {
    BuildResult r = build("web", Optional.empty());
    int port = 20000 + (int) (ProcessHandle.current().pid() % 10000);
    Runtime rt = new Runtime(runtimeConfig);
    ContainerId id = rt.start(RunRequest.of(lowers(r), spec(r).withNetwork(NetworkMode.BRIDGE)
        .withPorts(List.of(PortMapping.parse("127.0.0.1:" + port + ":80")))).withAutoRemove(false));
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String body = null;
      for (int i = 0; i < 50 && body == null; i++) {
        try {
          body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
          Thread.sleep(100);
        }
      }
      assertTrue(body != null && body.contains("served by busybox httpd"), String.valueOf(body));
    } finally {
      rt.stop(id.hex(), Duration.ofSeconds(5));
      rt.rm(id.hex(), true);
    }
  }
}
