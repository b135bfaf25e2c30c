package dev.jbuild.builder.shell;

import dev.jbuild.store.JbuildException;

/**
 * An error while lexing a Buildfile word: an unterminated quote or {@code ${}, a bad substitution,
 * an unsupported modifier, or a failed {@code ${V:?msg}} check (whose message is in the text).
 */
public class ShellSyntaxException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public ShellSyntaxException(String message) {
    super(message);
  }

  public ShellSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
