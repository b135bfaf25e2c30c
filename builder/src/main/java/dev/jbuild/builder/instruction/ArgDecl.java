package dev.jbuild.builder.instruction;

import java.util.Objects;
import java.util.Optional;

/**
 * One name declared by ARG, with its default if it has one, and its documentation (the comment line
 * above the ARG that starts with the name, without the name).
 */
public record ArgDecl(String name, Optional<String> defaultValue, String doc) {
  public ArgDecl {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(doc, "doc");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("[internal error] ARG without a name");
    }
  }
}
