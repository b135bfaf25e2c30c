package dev.jbuild.builder.context;

import dev.jbuild.store.JbuildException;

/** A context path that would leave the build context, such as {@code ../secret}. */
public class ContextEscapeException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public ContextEscapeException(String path) {
    super("forbidden path outside the build context: " + path);
  }
}
