package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code CMD}: the image's default command (or default arguments of the ENTRYPOINT). */
public record Cmd(CommandForm command, SourceRange range) implements Instruction {
  public Cmd {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(range, "range");
  }
}
