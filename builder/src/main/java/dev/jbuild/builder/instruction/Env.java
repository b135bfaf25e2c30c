package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/** {@code ENV k=v ...} or {@code ENV k v}: environment variables, in order. */
public record Env(List<KeyValue> vars, SourceRange range) implements Instruction {
  public Env {
    vars = List.copyOf(vars);
    Objects.requireNonNull(range, "range");
  }
}
