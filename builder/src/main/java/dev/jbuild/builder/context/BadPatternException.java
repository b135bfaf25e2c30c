package dev.jbuild.builder.context;

import dev.jbuild.store.JbuildException;

/**
 * A malformed ignore or COPY source pattern: Go's {@code filepath.ErrBadPattern} ({@code "syntax
 * error in pattern"}) or an exclusion with nothing after its {@code !}.
 */
public class BadPatternException extends JbuildException {
  private static final long serialVersionUID = 1L;

  /** The text of Go's {@code filepath.ErrBadPattern}, kept so messages read like docker's. */
  public static final String SYNTAX_ERROR = "syntax error in pattern";

  public BadPatternException(String message) {
    super(message);
  }

  public BadPatternException(String message, Throwable cause) {
    super(message, cause);
  }

  static BadPatternException syntax(String pattern) {
    return new BadPatternException(SYNTAX_ERROR + " \"" + pattern + "\"");
  }
}
