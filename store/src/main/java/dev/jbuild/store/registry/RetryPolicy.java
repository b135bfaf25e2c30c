package dev.jbuild.store.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How temporary failures (429, 5xx, connection resets) are retried: at most {@code maxAttempts}
 * tries in all, waiting an exponentially growing delay with full jitter between them, capped at
 * {@code maxDelay}. A server's {@code Retry-After} is honoured up to {@code maxRetryAfter}.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry policy needs at least one attempt");
    }
    if (baseDelay == null || maxDelay == null || maxRetryAfter == null
        || baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("retry delays must be present and not negative");
    }
  }

  /** No retries at all. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** The wait before attempt {@code failedAttempts + 1}: half fixed, half random, so clients spread out. */
  public Duration backoff(int failedAttempts) {
    long base = baseDelay.toMillis();
    long exp = Math.min(maxDelay.toMillis(), base << Math.min(20, Math.max(0, failedAttempts - 1)));
    long half = exp / 2;
    return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
  }
}
