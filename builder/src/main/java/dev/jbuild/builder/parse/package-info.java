/**
 * The Buildfile parser: text to a list of {@link dev.jbuild.builder.parse.Node}s, one per
 * instruction, with BuildKit's line rules (directives, continuations, comments, JSON vs shell form,
 * flags, heredocs).
 *
 * <p>Invariants: the parser never interprets instructions (an unknown keyword still gives a node;
 * the {@code instruction} package rejects it), and every node and every {@link
 * dev.jbuild.builder.parse.BuildfileException} it produces carries the file, line and column it
 * came from.
 */
package dev.jbuild.builder.parse;
