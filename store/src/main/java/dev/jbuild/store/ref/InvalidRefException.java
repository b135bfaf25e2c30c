package dev.jbuild.store.ref;

import dev.jbuild.store.JbuildException;

/** An image reference that does not follow the docker reference grammar: {@code invalid reference "X": why}. */
public class InvalidRefException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final String input;

  public InvalidRefException(String input, String reason) {
    super("invalid reference \"" + input + "\": " + reason);
    this.input = input;
  }

  /** The text that failed to parse. */
  public String input() {
    return input;
  }
}
