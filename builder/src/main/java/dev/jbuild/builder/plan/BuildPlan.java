package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Arg;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Warning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A planned build: every stage of the Buildfile, the dependency edges between them, the target
 * stage, and the stages needed to build it ({@link #order()}, dependencies first; stages the target
 * does not need are pruned from it). {@code globalScope} holds the values FROM lines see: the
 * global ARGs and the automatic platform ARGs.
 *
 * <p>Stages with no path between them in the graph may be built in parallel.
 */
public record BuildPlan(
    ParseResult source,
    List<Arg> globalArgs,
    List<Stage> stages,
    Map<Integer, Set<Integer>> dependencies,
    int target,
    List<Integer> order,
    Map<String, String> globalScope,
    Map<String, String> buildArgs,
    List<Warning> warnings) {

  public BuildPlan {
    Objects.requireNonNull(source, "source");
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
    dependencies = Map.copyOf(dependencies);
    if (target < 0 || target >= stages.size()) {
      throw new IllegalArgumentException("[internal error] target " + target + " out of range");
    }
    order = List.copyOf(order);
    globalScope = Map.copyOf(globalScope);
    buildArgs = Map.copyOf(buildArgs);
    warnings = List.copyOf(warnings);
  }

  /** The target stage. */
  public Stage targetStage() {
    return stages.get(target);
  }

  /** The stages to build, dependencies first. */
  public List<Stage> requiredStages() {
    return order.stream().map(stages::get).toList();
  }

  /**
   * The stages {@code index} depends on directly (its base stage, COPY --from and RUN --mount=from=
   * sources).
   */
  public Set<Integer> dependenciesOf(int index) {
    return dependencies.getOrDefault(index, Set.of());
  }

  /** The stage named {@code name} (case-insensitive), or by index when {@code name} is a number. */
  public java.util.Optional<Stage> stage(String name) {
    return Planner.findStage(stages, name, stages.size());
  }

  /**
   * What an expanded {@code COPY --from} or {@code RUN --mount=from=} value of stage {@code index}
   * names: an earlier stage (by name or number), or empty when it is an image reference.
   */
  public java.util.Optional<Stage> source(int index, String from) {
    Objects.checkIndex(index, stages.size());
    return Planner.findStage(stages, from, index);
  }

  /**
   * A fresh variable scope for stage {@code index}, seeded with its base image's {@code Env}
   * ({@code NAME=value} entries; for a stage built on another stage, that stage's final ENV).
   */
  public StageEnv stageEnv(int index, List<String> baseImageEnv) {
    Objects.checkIndex(index, stages.size());
    return new StageEnv(
        source.directives().escape(), buildArgs, globalScope, baseImageEnv, source.lines());
  }

  /** Stage names or indexes, for messages. */
  List<String> stageNames() {
    List<String> out = new ArrayList<>();
    stages.forEach(s -> out.add(s.displayName()));
    return out;
  }

  /** The given build args that no ARG of the required stages or the global scope declares. */
  public Set<String> unusedBuildArgs() {
    return Planner.unusedBuildArgs(this);
  }
}
