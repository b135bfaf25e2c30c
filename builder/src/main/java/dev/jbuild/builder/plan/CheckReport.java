package dev.jbuild.builder.plan;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The result of {@code build --check}: errors (any one fails the check) and warnings, each in file
 * order.
 */
public record CheckReport(List<Diagnostic> errors, List<Diagnostic> warnings) {
  public CheckReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** True when there is no error (warnings allowed): the check's exit status is 0. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** Warnings, then errors, each formatted with its place, then a summary line. */
  public String format() {
    String body =
        Stream.concat(
                warnings.stream().map(d -> "warning: " + d.format()),
                errors.stream().map(d -> "error: " + d.format()))
            .collect(Collectors.joining("\n"));
    String summary =
        "check: "
            + errors.size()
            + (errors.size() == 1 ? " error, " : " errors, ")
            + warnings.size()
            + (warnings.size() == 1 ? " warning" : " warnings");
    return body.isEmpty() ? summary : body + "\n" + summary;
  }
}
