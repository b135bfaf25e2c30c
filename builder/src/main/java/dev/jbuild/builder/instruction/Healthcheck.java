package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code HEALTHCHECK}: {@code test} is the image config's Healthcheck.Test ({@code ["NONE"]},
 * {@code ["CMD", argv...]} or {@code ["CMD-SHELL", "command"]}); a zero duration or retry count
 * means "not set" (the runtime's default), as in the image config.
 */
public record Healthcheck(
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    int retries,
    SourceRange range)
    implements Instruction {
  public Healthcheck {
    test = List.copyOf(test);
    if (test.isEmpty()) {
      throw new IllegalArgumentException("[internal error] empty healthcheck test");
    }
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    Objects.requireNonNull(startInterval, "startInterval");
    if (retries < 0) {
      throw new IllegalArgumentException("[internal error] negative retries");
    }
    Objects.requireNonNull(range, "range");
  }

  /** True for {@code HEALTHCHECK NONE} (disables the base image's check). */
  public boolean disabled() {
    return test.get(0).equals("NONE");
  }
}
