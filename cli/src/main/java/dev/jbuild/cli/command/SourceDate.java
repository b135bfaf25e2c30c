package dev.jbuild.cli.command;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** SOURCE_DATE_EPOCH (reproducible-builds.org): clamps mtimes and fixes {@code created}. */
final class SourceDate {
  private SourceDate() {}

  static Optional<Instant> epoch(Map<String, String> env) {
    String v = env.get("SOURCE_DATE_EPOCH");
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(v.strip())));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid SOURCE_DATE_EPOCH \"" + v + "\": want seconds since 1970");
    }
  }

  /** The creation time to record: SOURCE_DATE_EPOCH when set, else now (whole seconds). */
  static Instant created(Map<String, String> env) {
    return epoch(env).orElseGet(() -> Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }
}
