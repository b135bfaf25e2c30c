package dev.jbuild.runtime.container;

import dev.jbuild.store.JbuildException;

/** No container has this id, id prefix or name (or a prefix matches several). */
public class ContainerNotFoundException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public ContainerNotFoundException(String ref, String why) {
    super(ref, why, null);
  }
}
