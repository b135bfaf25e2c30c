package dev.jbuild.store.oci;

/** An image config (or one of its parts, such as an {@code Env} entry) that breaks the image spec. */
public class InvalidConfigException extends OciFormatException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
