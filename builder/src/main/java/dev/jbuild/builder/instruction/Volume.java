package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/** {@code VOLUME path ...}: mount points declared in the image config. */
public record Volume(List<String> paths, SourceRange range) implements Instruction {
  public Volume {
    paths = List.copyOf(paths);
    Objects.requireNonNull(range, "range");
  }
}
