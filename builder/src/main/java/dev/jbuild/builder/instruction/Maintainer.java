package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/** {@code MAINTAINER name} (deprecated; sets the image's author). */
public record Maintainer(String name, SourceRange range) implements Instruction {
  public Maintainer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(range, "range");
  }
}
