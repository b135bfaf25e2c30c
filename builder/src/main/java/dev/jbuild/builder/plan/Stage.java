package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.From;
import dev.jbuild.builder.instruction.Instruction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One build stage: its index, its name (lower case, if it has one), its FROM, the base and the
 * {@code --platform} as expanded with the global ARGs, the earlier stage it builds on if {@code
 * base} names one, and its instructions after FROM (not yet expanded: a {@link StageEnv} expands
 * them one by one while the stage is built).
 */
public record Stage(
    int index,
    Optional<String> name,
    From from,
    String base,
    Optional<String> platform,
    OptionalInt baseStage,
    List<Instruction> instructions) {
  public Stage {
    if (index < 0) {
      throw new IllegalArgumentException("[internal error] negative stage index");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(baseStage, "baseStage");
    instructions = List.copyOf(instructions);
  }

  /** The stage's name, or its index as text when it has none (how {@code --from} refers to it). */
  public String displayName() {
    return name.orElse(Integer.toString(index));
  }

  /** True for {@code FROM scratch}: no base image at all. */
  public boolean fromScratch() {
    return baseStage.isEmpty() && base.equals("scratch");
  }
}
