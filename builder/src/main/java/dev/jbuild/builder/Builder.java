package dev.jbuild.builder;

import dev.jbuild.builder.cache.BuildCache;
import dev.jbuild.builder.cache.CacheExchange;
import dev.jbuild.builder.cache.CacheManifest;
import dev.jbuild.builder.cache.CacheTransport;
import dev.jbuild.builder.context.BuildContext;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.BuildListener;
import dev.jbuild.builder.exec.BuildReaper;
import dev.jbuild.builder.exec.Snapshots;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.builder.plan.BuildOptions;
import dev.jbuild.builder.plan.BuildPlan;
import dev.jbuild.builder.plan.Planner;
import dev.jbuild.builder.plan.Stage;
import dev.jbuild.builder.step.ImageState;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The build engine's facade: {@link #build} turns a Buildfile and its context into an image in the store.
 *
 * <pre>{@code
 * BuildResult r = new Builder(store, RuntimeConfig.defaults(root.path(), env))
 *     .build(BuildRequest.of(contextDir, contextDir.resolve("Buildfile")).withTags(List.of("app:1")), listener);
 * }</pre>
 *
 * <p>The store's GC lock is held shared for the whole build, so a concurrent {@code jbuild prune} waits
 * instead of deleting blobs and snapshots the build is using. Stages that do not depend on each other are
 * built in parallel (two threads). Whatever a build acquires (overlay mounts, the network namespace, runc
 * containers) is released before {@link #build} returns or throws.
 */
public final class Builder {
  /** Stages built at the same time at most. */
  public static final int PARALLEL_STAGES = 2;

  private final Store store;
  private final RuntimeConfig runtime;
  private final CacheExchange exchange;
  private final BaseImageSource baseImages;

  public Builder(Store store, RuntimeConfig runtime) {
    this(store, runtime, CacheExchange.NONE);
  }

  /** A builder that imports and exports build caches as {@code exchange} says. */
  public Builder(Store store, RuntimeConfig runtime, CacheExchange exchange) {
    this(store, runtime, exchange, BaseImageSource.NONE);
  }

  /** A builder that also fetches base images missing from the store from {@code baseImages}. */
  public Builder(Store store, RuntimeConfig runtime, CacheExchange exchange, BaseImageSource baseImages) {
    this.store = store;
    this.runtime = runtime;
    this.exchange = exchange;
    this.baseImages = baseImages;
  }

  /**
   * Builds, stores and tags the image.
   *
   * @throws dev.jbuild.builder.parse.BuildfileException for an invalid Buildfile
   * @throws StepFailedException for a step that failed (placed at its instruction)
   */
  public BuildResult build(BuildRequest request, BuildListener listener) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    warmUpDigests();
    String fileName = request.buildfile().getFileName().toString();
    String text = Files.readString(request.buildfile(), StandardCharsets.UTF_8);
    ParseResult parsed = Parser.parse(fileName, text);
    BuildPlan plan = Planner.plan(parsed, new BuildOptions(request.buildArgs(), request.target(), baseImages.platform()));
    for (String unused : plan.unusedBuildArgs()) {
      listener.on(new BuildEvent.Message("[Warning] one or more build args were not consumed: " + unused));
    }
    BuildContext context = BuildContext.open(request.contextDir(), Optional.of(request.buildfile()));
    try (AutoCloseable shared = store.gcLock().shared()) {
      BuildReaper.sweep(store.root().tmp(), runtime.oci(), runtime.cni(), runtime.bridge(), runtime.netnsDir());
      BuildCache cache = new BuildCache(store.root().cache());
      importCaches(cache, listener);
      Snapshots snapshots = new Snapshots(store.blobs(), new SnapshotStore(store.root().path()));
      BuildResult result;
      try (BuildSession session = new BuildSession(store, runtime, request, plan, parsed, context, cache, snapshots,
          listener, baseImages)) {
        StageRun.Result finalStage = runStages(session);
        result = write(session, finalStage);
        exportCaches(session);
      }
      listener.on(new BuildEvent.BuildFinished(Optional.of(result.imageId().toString()),
          Duration.ofNanos(System.nanoTime() - t0), result.tags()));
      return result;
    } catch (IOException | InterruptedException | RuntimeException e) {
      listener.on(new BuildEvent.BuildFinished(Optional.empty(), Duration.ofNanos(System.nanoTime() - t0), List.of()));
      throw e;
    } catch (Exception e) {
      throw new IOException("releasing the store's gc lock", e);
    }
  }

  private void importCaches(BuildCache cache, BuildListener listener) {
    for (CacheTransport from : exchange.from()) {
      try {
        cache.importRemote(from.read(), from);
      } catch (IOException | RuntimeException e) {
        // as BuildKit: a cache that cannot be read is a warning, and the build goes on without it
        listener.on(new BuildEvent.Message("[Warning] importing " + from.describe() + ": " + e.getMessage()));
      }
    }
  }

  private void exportCaches(BuildSession session) throws IOException {
    for (CacheExchange.Export to : exchange.to()) {
      Map<String, dev.jbuild.builder.cache.CacheRecord> records = new LinkedHashMap<>();
      session.records.forEach((stage, recs) -> {
        if (to.max() || stage == session.plan.target()) {
          synchronized (recs) {
            recs.forEach((k, r) -> records.put(k.toString(), r));
          }
        }
      });
      List<Descriptor> layers = records.values().stream()
          .flatMap(r -> r.layerDescriptor().stream())
          .collect(java.util.stream.Collectors.toMap(Descriptor::digest, d -> d, (a, b) -> a, LinkedHashMap::new))
          .values().stream().toList();
      to.to().write(new CacheManifest(records), layers, store.blobs());
      session.emit(new BuildEvent.Message("exported " + records.size() + " cache records and " + layers.size()
          + " layers to " + to.to().describe()));
    }
  }

  /** Runs the needed stages, each as soon as the stages it depends on are done; returns the target's state. */
  /**
   * The first SHA-256 of a process loads and initialises the JDK's security providers (~15 ms); a
   * build computes its first one only once the Buildfile is parsed and planned and the store open,
   * so that is done on a second thread meanwhile.
   */
  private static void warmUpDigests() {
    Thread t = new Thread(() -> dev.jbuild.store.digest.Digest.of(new byte[0]), "jbuild-digest-warmup");
    t.setDaemon(true);
    t.start();
  }

  private StageRun.Result runStages(BuildSession session) throws IOException, InterruptedException {
    BuildPlan plan = session.plan;
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_STAGES, r -> {
      Thread t = new Thread(r, "jbuild-stage");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int index : plan.order()) {
        Stage stage = plan.stages().get(index);
        List<CompletableFuture<StageRun.Result>> deps = new ArrayList<>();
        for (int d : plan.dependenciesOf(index)) {
          deps.add(session.stages.get(d));
        }
        CompletableFuture<StageRun.Result> f = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
            .thenApplyAsync(v -> {
              try {
                return new StageRun(session, stage).run();
              } catch (IOException e) {
                throw new CompletionException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(new InterruptedIOException("build interrupted"));
              }
            }, pool);
        session.stages.put(index, f);
      }
      try {
        return session.stages.get(plan.target()).get();
      } catch (ExecutionException e) {
        // every stage must stop before the session releases what they use
        session.stages.values().forEach(x -> x.cancel(true));
        throw unwrap(e.getCause());
      }
    } finally {
      pool.shutdownNow();
      // RUN steps still going in other stages would otherwise hold their mounts until they end by themselves
      if (session.stages.values().stream().anyMatch(f -> !f.isDone() || f.isCompletedExceptionally())) {
        session.executor.killAll();
      }
      // wait for running stages so nothing is still mounted when the session closes
      pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    }
  }

  private static IOException unwrap(Throwable c) {
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof IOException io) {
      return io;
    }
    if (c instanceof RuntimeException r) {
      throw r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new IOException(c);
  }

  private BuildResult write(BuildSession session, StageRun.Result stage) throws IOException {
    BuildRequest req = session.request;
    ImageState state = req.squash() ? Squash.squash(session, stage) : stage.state();
    ImageConfig config = state.config();
    if (!req.labels().isEmpty()) {
      ContainerConfig cc = config.configOrEmpty();
      for (Map.Entry<String, String> l : req.labels().entrySet()) {
        cc = cc.withLabel(l.getKey(), l.getValue());
      }
      config = config.withConfig(cc);
    }
    List<Descriptor> layers = state.layers();
    // as BuildKit: the image was created when its newest step ran, so a fully cached rebuild is the same image
    Instant created = req.sourceDateEpoch().isPresent() || config.history().isEmpty() ? session.created
        : config.history().getLast().created();
    config = config.withCreated(created == null ? session.created : created);
    Images images = new Images(store);
    Descriptor manifest = images.write(config, layers);
    for (String t : req.tags()) {
      images.tag(Images.parseName(t), manifest);
    }
    if (req.tags().isEmpty()) {
      // an untagged image is still listed (and kept by prune) until removed
      store.layout().add(manifest);
    }
    Digest imageId = Digest.of(dev.jbuild.store.oci.OciJson.write(config));
    return new BuildResult(manifest, imageId, config, layers, req.tags());
  }
}
