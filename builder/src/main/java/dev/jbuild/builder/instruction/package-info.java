/**
 * Typed Buildfile instructions: one record per instruction ({@link
 * dev.jbuild.builder.instruction.Instruction} is sealed), made from parser nodes by {@link
 * dev.jbuild.builder.instruction.InstructionParser}.
 *
 * <p>Invariants: every instruction knows its {@link dev.jbuild.builder.parse.SourceRange}, and
 * every error raised while typing a node is a located {@link
 * dev.jbuild.builder.parse.BuildfileException}. Values are kept as written (not yet expanded);
 * {@code dev.jbuild.builder.plan} expands them.
 */
package dev.jbuild.builder.instruction;
