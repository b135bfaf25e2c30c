package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code WORKDIR path} (relative paths are relative to the previous WORKDIR). */
public record Workdir(String path, SourceRange range) implements Instruction {
  public Workdir {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(range, "range");
  }
}
