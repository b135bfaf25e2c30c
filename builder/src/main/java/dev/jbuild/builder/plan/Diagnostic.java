package dev.jbuild.builder.plan;

import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.builder.parse.Warning;
import java.util.Objects;
import java.util.Optional;

/**
 * One finding of {@code build --check}: a rule name ({@code error} for hard errors, BuildKit's
 * check names for warnings), the message, where it is (when it is in the file) and the source line
 * there.
 */
public record Diagnostic(
    String rule, String message, Optional<SourceRange> range, Optional<String> sourceLine) {
  public Diagnostic {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(sourceLine, "sourceLine");
  }

  static Diagnostic of(BuildfileException e) {
    return new Diagnostic("error", e.getMessage(), e.range(), e.sourceLine());
  }

  static Diagnostic of(Warning w, String line) {
    return new Diagnostic(w.rule(), w.message(), Optional.of(w.range()), Optional.ofNullable(line));
  }

  /**
   * {@code Buildfile:3:1: message}, then the source line and a caret; warnings end with their rule
   * in parentheses.
   */
  public String format() {
    String head =
        range.map(r -> r + ": ").orElse("")
            + message
            + (rule.equals("error") ? "" : " (" + rule + ")");
    if (range.isEmpty() || sourceLine.isEmpty()) {
      return head;
    }
    return head
        + "\n"
        + sourceLine.get()
        + "\n"
        + BuildfileException.caret(sourceLine.get(), range.get().start().column());
  }
}
