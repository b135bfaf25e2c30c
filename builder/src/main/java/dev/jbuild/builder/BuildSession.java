package dev.jbuild.builder;

import dev.jbuild.builder.cache.BuildCache;
import dev.jbuild.builder.cache.CacheKey;
import dev.jbuild.builder.cache.CacheRecord;
import dev.jbuild.builder.context.BuildContext;
import dev.jbuild.builder.context.ChecksumMemo;
import dev.jbuild.builder.context.ContextChecksum;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.BuildListener;
import dev.jbuild.builder.exec.BuildNetwork;
import dev.jbuild.builder.exec.BuildReaper;
import dev.jbuild.builder.exec.RunExecutor;
import dev.jbuild.builder.exec.Snapshots;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.plan.BuildPlan;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.LayerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the stages of one build share: the store and its caches, the context, the plan, the listener, the
 * step counter, the results of finished stages, and the network namespace created at the first bridged RUN.
 */
final class BuildSession implements AutoCloseable {
  final Store store;
  final Images images;
  final BaseImageSource baseImages;
  final RuntimeConfig runtime;
  final BuildRequest request;
  final BuildPlan plan;
  final ParseResult parsed;
  final BuildContext context;
  final BuildCache cache;
  final ChecksumMemo memo;
  final ContextChecksum checksums;
  final Snapshots snapshots;
  final RunExecutor executor;
  final BuildListener listener;
  final LayerOptions layerOptions;
  final Instant created;
  final Path tmp;
  final AtomicInteger stepNumber = new AtomicInteger();
  final Map<Integer, CompletableFuture<StageRun.Result>> stages = new ConcurrentHashMap<>();
  /** The cache record each step of each stage used or made, in step order: what {@code --cache-to} exports. */
  final Map<Integer, Map<CacheKey, CacheRecord>> records = new ConcurrentHashMap<>();
  private final int memoSizeAtStart;
  private BuildNetwork network;
  private boolean closed;

  BuildSession(Store store, RuntimeConfig runtime, BuildRequest request, BuildPlan plan, ParseResult parsed,
      BuildContext context, BuildCache cache, Snapshots snapshots, BuildListener listener,
      BaseImageSource baseImages) {
    this.store = store;
    this.baseImages = baseImages;
    this.images = new Images(store);
    this.runtime = runtime;
    this.request = request;
    this.plan = plan;
    this.parsed = parsed;
    this.context = context;
    this.cache = cache;
    this.memo = cache.loadMemo();
    this.memoSizeAtStart = memo.size();
    this.checksums = new ContextChecksum(context, memo);
    this.snapshots = snapshots;
    this.executor = new RunExecutor(runtime.oci(), runtime.hostLimits(), runtime.hostFiles());
    this.listener = listener;
    LayerOptions lo = LayerOptions.defaults().withCompression(request.compression());
    this.layerOptions = request.sourceDateEpoch().map(lo::withSourceDateEpoch).orElse(lo);
    this.created = request.sourceDateEpoch().orElseGet(() -> Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    this.tmp = store.root().tmp();
  }

  void used(int stage, CacheKey key, CacheRecord record) {
    records.computeIfAbsent(stage, i -> java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>()))
        .put(key, record);
  }

  void emit(BuildEvent e) {
    listener.on(e);
  }

  /** The build's shared network namespace, created on first use. */
  synchronized BuildNetwork network() throws IOException {
    if (closed) {
      throw new IllegalStateException("[internal error] build already finished");
    }
    if (network == null) {
      String name = BuildReaper.netnsName(Long.toHexString(ThreadLocalRandom.current().nextInt() & 0xffffff));
      network = BuildNetwork.create(runtime.cni(), runtime.bridge(), runtime.netnsDir(), name);
    }
    return network;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    IOException failure = null;
    if (network != null) {
      try {
        network.close();
      } catch (IOException e) {
        failure = e;
      }
      network = null;
    }
    try {
      // a changed file is a new key (its mtime and ctime are part of it), so an unchanged size means nothing
      // new to remember, and a warm build skips the memo's fsync
      if (memo.size() != memoSizeAtStart) {
        memo.save();
      }
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
