package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code USER user[:group]}. */
public record User(String user, SourceRange range) implements Instruction {
  public User {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(range, "range");
  }
}
