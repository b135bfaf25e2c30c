package dev.jbuild.builder.parse;

import java.util.Objects;

/**
 * A non-fatal finding about a Buildfile: a rule name (BuildKit's check names where one exists, such
 * as {@code NoEmptyContinuation}), a message, and where it is.
 */
public record Warning(String rule, String message, SourceRange range) {
  public Warning {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(range, "range");
  }

  @Override
  public String toString() {
    return range + ": " + message + " (" + rule + ")";
  }
}
