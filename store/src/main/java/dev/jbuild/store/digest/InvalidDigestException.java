package dev.jbuild.store.digest;

import dev.jbuild.store.JbuildException;

/** A digest string that is not {@code algorithm:hex} of a supported algorithm. */
public class InvalidDigestException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public InvalidDigestException(String message) {
    super(message);
  }
}
