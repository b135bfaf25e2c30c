package dev.jbuild.store.registry;

import java.time.Clock;
import java.time.Duration;

/**
 * Tunables of a {@link RegistryClient}: retries, the size from which uploads go in chunks and the
 * chunk size (the most an upload holds in memory), the page size of tag lists ({@code 0}: let the
 * registry choose), timeouts, the clock token expiry is measured with, and the user agent.
 */
public record ClientOptions(
    RetryPolicy retry,
    long chunkedThreshold,
    int chunkSize,
    int tagsPageSize,
    Duration connectTimeout,
    Duration responseTimeout,
    Clock clock,
    String userAgent) {

  public ClientOptions {
    if (retry == null || connectTimeout == null || responseTimeout == null || clock == null || userAgent == null) {
      throw new IllegalArgumentException("client options need a retry policy, timeouts, a clock and a user agent");
    }
    if (chunkedThreshold < 0 || chunkSize < 1 || tagsPageSize < 0) {
      throw new IllegalArgumentException("invalid upload or paging sizes");
    }
  }

  /** Uploads of 64 MiB and more go in 16 MiB chunks; 4 attempts; system clock. */
  public static ClientOptions defaults() {
    return new ClientOptions(RetryPolicy.DEFAULT, 64L << 20, 16 << 20, 0, Duration.ofSeconds(30),
        Duration.ofMinutes(5), Clock.systemUTC(), "jbuild/0.1");
  }

  public ClientOptions withRetry(RetryPolicy r) {
    return new ClientOptions(r, chunkedThreshold, chunkSize, tagsPageSize, connectTimeout, responseTimeout, clock, userAgent);
  }

  /** Blobs of {@code threshold} bytes or more are uploaded in chunks of {@code size} bytes. */
  public ClientOptions withChunking(long threshold, int size) {
    return new ClientOptions(retry, threshold, size, tagsPageSize, connectTimeout, responseTimeout, clock, userAgent);
  }

  public ClientOptions withTagsPageSize(int n) {
    return new ClientOptions(retry, chunkedThreshold, chunkSize, n, connectTimeout, responseTimeout, clock, userAgent);
  }

  public ClientOptions withClock(Clock c) {
    return new ClientOptions(retry, chunkedThreshold, chunkSize, tagsPageSize, connectTimeout, responseTimeout, c, userAgent);
  }

  public ClientOptions withTimeouts(Duration connect, Duration response) {
    return new ClientOptions(retry, chunkedThreshold, chunkSize, tagsPageSize, connect, response, clock, userAgent);
  }
}
