package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/** {@code LABEL k=v ...}: image labels, in order (quotes still in the values until expansion). */
public record Label(List<KeyValue> labels, SourceRange range) implements Instruction {
  public Label {
    labels = List.copyOf(labels);
    Objects.requireNonNull(range, "range");
  }
}
