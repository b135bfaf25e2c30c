package dev.jbuild.store.oci;

import dev.jbuild.store.JbuildException;

/**
 * An OCI JSON document (manifest, index, image config, descriptor, layout file) that jbuild cannot
 * accept: not JSON, too large, or breaking a rule of the image spec. The message names the
 * document kind and the field ({@code invalid image manifest: layers[0].digest: ...}).
 */
public class OciFormatException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public OciFormatException(String message) {
    super(message);
  }

  public OciFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
