/**
 * The build plan: stages made of typed instructions, the dependency graph between them ({@code FROM
 * <stage>}, {@code COPY --from}, {@code RUN --mount=from=}), {@code --target} selection and
 * pruning, ARG/ENV scoping and variable expansion ({@link dev.jbuild.builder.plan.StageEnv}), and
 * {@code build --check} ({@link dev.jbuild.builder.plan.BuildfileChecker}).
 *
 * <p>Invariants: a stage only depends on stages defined before it, so stage indexes are a
 * topological order; global ARGs (before the first FROM) are visible in FROM lines only, unless a
 * stage declares them again.
 */
package dev.jbuild.builder.plan;
