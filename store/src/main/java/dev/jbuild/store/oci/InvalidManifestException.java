package dev.jbuild.store.oci;

/** A manifest, image index, descriptor or layout file that breaks the image spec. */
public class InvalidManifestException extends OciFormatException {
  private static final long serialVersionUID = 1L;

  public InvalidManifestException(String message) {
    super(message);
  }

  public InvalidManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
