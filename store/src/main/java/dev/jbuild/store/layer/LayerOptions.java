package dev.jbuild.store.layer;

import java.time.Instant;
import java.util.Optional;

/**
 * How {@link LayerWriter} frames and stamps a layer.
 *
 * @param compression the framing (gzip by default)
 * @param level the gzip (1..9) or zstd (1..19) level; 0 means the default (gzip 6, zstd 3)
 * @param sourceDateEpoch when present, every mtime later than it is clamped to it (reproducible builds)
 * @param threads compressing threads; 0 means every available processor
 */
public record LayerOptions(Compression compression, int level, Optional<Instant> sourceDateEpoch, int threads) {

  public LayerOptions {
    if (compression == null) {
      throw new IllegalArgumentException("layer options need a compression");
    }
    sourceDateEpoch = sourceDateEpoch == null ? Optional.empty() : sourceDateEpoch;
    int max = compression == Compression.ZSTD ? 19 : compression == Compression.GZIP ? 9 : 0;
    if (level < 0 || level > max) {
      throw new IllegalArgumentException("level " + level + " is out of range for " + compression + " (0.." + max + ")");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must not be negative");
    }
  }

  /** Gzip at level 6 on every processor, mtimes unchanged. */
  public static LayerOptions defaults() {
    return new LayerOptions(Compression.GZIP, 0, Optional.empty(), 0);
  }

  public LayerOptions withCompression(Compression c) {
    return new LayerOptions(c, 0, sourceDateEpoch, threads);
  }

  public LayerOptions withLevel(int l) {
    return new LayerOptions(compression, l, sourceDateEpoch, threads);
  }

  public LayerOptions withSourceDateEpoch(Instant epoch) {
    return new LayerOptions(compression, level, Optional.of(epoch), threads);
  }

  public LayerOptions withThreads(int t) {
    return new LayerOptions(compression, level, sourceDateEpoch, t);
  }

  /** The thread count to use. */
  int effectiveThreads() {
    return threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
  }
}
