package dev.jbuild.builder.engine;

import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.Builder;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.testing.ImageValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A store and a context dir in a {@code jbuild-rt-} temp dir (watched by the runtime's LeakCheck), with the
 * busybox rootfs tarball as {@code rootfs.tar} in the context, and helpers to build and inspect layers.
 */
final class EngineFixture implements AutoCloseable {
  final Path dir;
  final Path context;
  final Store store;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  EngineFixture(Path busyboxTar) throws IOException {
    dir = Files.createTempDirectory("jbuild-rt-engine-");
    context = Files.createDirectories(dir.resolve("ctx"));
    store = Store.open(StoreRoot.of(dir.resolve("store")).create());
    Files.copy(busyboxTar, context.resolve("rootfs.tar"));
  }

  /** Makes the busybox tarball with the project's script. */
  static Path busybox(Path into) throws IOException, InterruptedException {
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    Path tar = into.resolve("busybox.tar");
    Process p = new ProcessBuilder(project.resolve("scripts/busybox-rootfs").toString(), tar.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("busybox-rootfs failed: " + out);
    }
    return tar;
  }

  void write(String rel, String content) throws IOException {
    Path p = context.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  BuildResult build(String buildfile) throws Exception {
    return build(buildfile, r -> r);
  }

  BuildResult build(String buildfile, UnaryOperator<BuildRequest> tweak) throws Exception {
    write("Buildfile", buildfile);
    events.clear();
    BuildRequest req = tweak.apply(BuildRequest.of(context, context.resolve("Buildfile")));
    BuildResult r = new Builder(store, RuntimeConfig.defaults(store.root().path(), System.getenv()))
        .build(req, events::add);
    ImageValidator.validate(store, r.manifest());
    return r;
  }

  long count(Class<? extends BuildEvent> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).count();
    }
  }

  List<String> output() {
    synchronized (events) {
      return events.stream().filter(e -> e instanceof BuildEvent.StepOutput).map(e -> ((BuildEvent.StepOutput) e).line())
          .toList();
    }
  }

  List<String> missReasons() {
    synchronized (events) {
      return events.stream().filter(e -> e instanceof BuildEvent.CacheMiss).map(e -> ((BuildEvent.CacheMiss) e).reason())
          .toList();
    }
  }

  /** A layer's tar entries by name (without a leading ./), in order. */
  Map<String, TarArchiveEntry> entries(Descriptor layer) throws IOException {
    Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
    try (InputStream raw = store.blobs().open(layer.digest());
        TarArchiveInputStream tin = new TarArchiveInputStream(Compression.decompress(raw))) {
      for (TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
        String n = e.getName();
        n = n.startsWith("./") ? n.substring(2) : n;
        out.put(n.endsWith("/") ? n.substring(0, n.length() - 1) : n, e);
      }
    }
    return out;
  }

  /** The content of a file entry of a layer. */
  String content(Descriptor layer, String name) throws IOException {
    try (InputStream raw = store.blobs().open(layer.digest());
        TarArchiveInputStream tin = new TarArchiveInputStream(Compression.decompress(raw))) {
      for (TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
        String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (n.equals(name)) {
          return new String(tin.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError("no " + name + " in layer " + layer.digest());
  }

  @Override
  public void close() throws IOException {
    Whiteouts.deleteTree(dir);
  }
}
