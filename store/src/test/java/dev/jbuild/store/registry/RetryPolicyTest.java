package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void backoffGrowsExponentiallyWithJitterAndIsCapped() {
    RetryPolicy p = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(1));
    for (int i = 0; i < 200; i++) {
      long d1 = p.backoff(1).toMillis();
      long d3 = p.backoff(3).toMillis();
      long d10 = p.backoff(10).toMillis();
      assertTrue(d1 >= 50 && d1 <= 100, "first: " + d1);
      assertTrue(d3 >= 200 && d3 <= 400, "third: " + d3);
      assertTrue(d10 >= 500 && d10 <= 1000, "capped: " + d10);
    }
  }

  @Test
  void needsAnAttempt() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }
}
