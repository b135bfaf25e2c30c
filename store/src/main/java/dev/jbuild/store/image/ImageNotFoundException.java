package dev.jbuild.store.image;

import dev.jbuild.store.JbuildException;

/** A name, id or digest that no image of the store answers to. */
public class ImageNotFoundException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public ImageNotFoundException(String what) {
    super(null, "no such image: " + what, null);
  }
}
