package dev.jbuild.store.registry;

import dev.jbuild.store.JbuildException;

/** An index or manifest list with no manifest for the wanted platform; the message lists those it has. */
public class PlatformNotFoundException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public PlatformNotFoundException(String message) {
    super(message);
  }
}
