package dev.jbuild.builder.shell;

import java.util.Objects;
import java.util.Set;

/**
 * The outcome of expanding one word: its text, and the names of the variables it referenced,
 * split into those that were set ({@code matched}) and those that were not ({@code unmatched}).
 * Build tools use the names to warn about undefined variables and to track which build args a
 * step depends on.
 */
public record ProcessResult(String result, Set<String> matched, Set<String> unmatched) {
  public ProcessResult {
    Objects.requireNonNull(result, "result");
    matched = Set.copyOf(matched);
    unmatched = Set.copyOf(unmatched);
  }
}
