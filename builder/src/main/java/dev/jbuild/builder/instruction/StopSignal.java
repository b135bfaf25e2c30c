package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code STOPSIGNAL signal} (a name such as SIGTERM or a number; checked after expansion). */
public record StopSignal(String signal, SourceRange range) implements Instruction {
  public StopSignal {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(range, "range");
  }
}
