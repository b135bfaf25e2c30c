package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/** {@code SHELL ["executable", "param"...]}: the shell used for shell-form commands. */
public record Shell(List<String> shell, SourceRange range) implements Instruction {
  public Shell {
    shell = List.copyOf(shell);
    if (shell.isEmpty()) {
      throw new IllegalArgumentException("[internal error] empty SHELL");
    }
    Objects.requireNonNull(range, "range");
  }
}
