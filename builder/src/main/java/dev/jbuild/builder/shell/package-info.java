/**
 * The Buildfile word lexer: quote removal, escapes and {@code $VAR} expansion with BuildKit's
 * semantics ({@code frontend/dockerfile/shell}).
 *
 * <p>{@link dev.jbuild.builder.shell.ShellLex} turns one raw Buildfile word into its final text
 * ({@code processWord}) or into several words split on unquoted whitespace after expansion
 * ({@code processWords}). It never runs a shell: command substitution, arithmetic and assignments
 * ({@code ${V:=w}}) are errors, and positional ({@code $1}) and special ({@code $@ $# $$ ...})
 * parameters always expand to nothing. Invariant: the lexer is immutable and keeps no state
 * between calls, so one instance may be shared by threads.
 */
package dev.jbuild.builder.shell;
