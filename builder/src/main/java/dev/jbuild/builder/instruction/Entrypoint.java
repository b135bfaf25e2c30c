package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code ENTRYPOINT}: the image's entrypoint. */
public record Entrypoint(CommandForm command, SourceRange range) implements Instruction {
  public Entrypoint {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(range, "range");
  }
}
