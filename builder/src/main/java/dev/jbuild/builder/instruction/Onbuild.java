package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;

/**
 * {@code ONBUILD instruction}: a trigger stored in the image and run by builds that use it as base.
 * {@code expression} is the trigger's text as stored in the image config (heredoc bodies appended),
 * {@code trigger} the same instruction typed and checked now.
 */
public record Onbuild(Instruction trigger, String expression, SourceRange range)
    implements Instruction {
  public Onbuild {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(range, "range");
  }
}
