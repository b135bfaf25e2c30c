package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.testing.DockerRegistryServer;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code jbuild build --cache-to / --cache-from}: a cache exported from one store gives cache hits in an empty
 * store, which fetches only the layers of the steps that hit; a broken cache is a warning, not a failure.
 */
@RequiresRoot
@RequiresTools({"runc", "docker-registry"})
@ExtendWith(LeakCheck.class)
class BuildCacheExchangeIT {
  static final String BUILDFILE = "FROM scratch\nADD rootfs.tar /\nRUN echo one > /one\nCOPY app.txt /app.txt\n"
      + "RUN cat /app.txt /one > /both\nCMD [\"cat\", \"/both\"]\n";

  Path dir;
  Path ctxDir;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("jbuild-cache-x-");
    ctxDir = Files.createDirectories(dir.resolve("ctx"));
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    BuildCommandIT.exec(project.resolve("scripts/busybox-rootfs").toString(), ctxDir.resolve("rootfs.tar").toString());
    Files.writeString(ctxDir.resolve("Buildfile"), BUILDFILE);
    Files.writeString(ctxDir.resolve("app.txt"), "version 1\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    Whiteouts.deleteTree(dir);
  }

  Cli cli(String store) {
    return new Cli(dir.resolve(store)).withEnv("SOURCE_DATE_EPOCH", "1700000000")
        .withEnv("DOCKER_CONFIG", dir.resolve("docker").toString());
  }

  Cli.Result build(String store, String... cacheArgs) {
    List<String> args = new java.util.ArrayList<>(List.of("build", "--network", "none", "--progress", "plain",
        "-t", "app:1"));
    args.addAll(List.of(cacheArgs));
    args.add(ctxDir.toString());
    Cli.Result r = cli(store).run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  static long cached(Cli.Result r) {
    return r.err().lines().filter(l -> l.endsWith(" CACHED")).count();
  }

  Image image(String store) throws Exception {
    return new Images(Store.open(StoreRoot.of(dir.resolve(store)))).resolve("app:1");
  }

  boolean has(String store, Descriptor blob) throws Exception {
    return Store.open(StoreRoot.of(dir.resolve(store))).blobs().has(blob.digest());
  }

  @Test
  void registryCacheGivesHitsInAnEmptyStoreAndFetchesOnlyNeededLayers() throws Exception {
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      String ref = server.host() + "/jbuild/cache:main";
      Cli.Result a = build("a", "--cache-to", "type=registry,ref=" + ref + ",mode=max");
      assertEquals(0, cached(a), a.err());
      Image imageA = image("a");
      assertEquals(4, imageA.layers().size());

      Cli.Result b = build("b", "--cache-from", "type=registry,ref=" + ref);
      assertEquals(5, cached(b), b.err());
      assertEquals(a.out().strip(), b.out().strip());
      Image imageB = image("b");
      assertEquals(imageA.manifestDigest(), imageB.manifestDigest());
      for (Descriptor l : imageA.layers()) {
        assertTrue(has("b", l), l.toString());
      }

      // a changed COPY source: the steps before it hit, the COPY and what follows rebuild
      Files.writeString(ctxDir.resolve("app.txt"), "version 2\n");
      Cli.Result c = build("c", "--cache-from", "type=registry,ref=" + ref);
      assertEquals(2, cached(c), c.err());
      assertTrue(c.err().contains("#2 [2/5] RUN echo one > /one\n#2 CACHED"), c.err());
      assertTrue(c.err().contains("#3 [3/5] COPY app.txt /app.txt\n#3 DONE"), c.err());
      Image imageC = image("c");
      assertEquals(imageA.layers().subList(0, 2), imageC.layers().subList(0, 2));
      assertFalse(imageA.layers().get(2).digest().equals(imageC.layers().get(2).digest()));
      // the layers of the old COPY and RUN were in the cache, but no step that hit needed them
      assertFalse(has("c", imageA.layers().get(2)));
      assertFalse(has("c", imageA.layers().get(3)));
    }
  }

  @Test
  void localCacheRoundTripsAndVerifiesBlobs() throws Exception {
    Path cacheDir = dir.resolve("cache");
    Cli.Result a = build("a", "--cache-to", "type=local,dest=" + cacheDir);
    assertTrue(Files.isRegularFile(cacheDir.resolve("index.json")));
    assertTrue(Files.isRegularFile(cacheDir.resolve("oci-layout")));
    Image imageA = image("a");

    Cli.Result b = build("b", "--cache-from", "type=local,src=" + cacheDir);
    assertEquals(5, cached(b), b.err());
    assertEquals(a.out().strip(), b.out().strip());
    assertEquals(imageA.manifestDigest(), image("b").manifestDigest());

    // a tampered layer blob is refused: that step runs again (same result), the others still hit
    Descriptor first = imageA.layers().getFirst();
    Path blob = cacheDir.resolve("blobs/sha256").resolve(first.digest().hex());
    Files.write(blob, new byte[] {1, 2, 3});
    Cli.Result c = build("c", "--cache-from", "type=local,src=" + cacheDir);
    assertEquals(4, cached(c), c.err());
    assertEquals(a.out().strip(), c.out().strip());
  }

  @Test
  void missingOrCorruptCacheIsAWarning() throws Exception {
    Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
    Files.writeString(corrupt.resolve("index.json"), "{not json");
    try (DockerRegistryServer server = DockerRegistryServer.start(dir.resolve("registry"))) {
      Cli.Result r = build("a", "--cache-from", "type=local,src=" + dir.resolve("nothing-here"),
          "--cache-from", "type=local,src=" + corrupt,
          "--cache-from", "type=registry,ref=" + server.host() + "/jbuild/absent:1");
      assertEquals(0, cached(r), r.err());
      assertEquals(3, Stream.of(r.err().split("\n")).filter(l -> l.contains("importing")).count(), r.err());
    }
  }
}
