package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/**
 * {@code ARG name[=default] ...}: build arguments declared for the stage (or globally before the
 * first FROM).
 */
public record Arg(List<ArgDecl> args, SourceRange range) implements Instruction {
  public Arg {
    args = List.copyOf(args);
    if (args.isEmpty()) {
      throw new IllegalArgumentException("[internal error] ARG without names");
    }
    Objects.requireNonNull(range, "range");
  }
}
