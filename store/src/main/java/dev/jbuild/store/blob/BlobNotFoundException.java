package dev.jbuild.store.blob;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;

/** A blob the store does not have. */
public class BlobNotFoundException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public BlobNotFoundException(Digest digest) {
    super(digest.toString(), "blob not found in the store", null);
  }
}
