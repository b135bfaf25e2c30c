package dev.jbuild.store;

import java.util.Optional;

/**
 * The root of jbuild's domain errors: unchecked, with an optional place (a Buildfile range, a digest,
 * a reference or a container id) that the CLI prints in front of the message.
 *
 * <p>Messages are short lowercase phrases without a trailing period; each layer that rethrows adds
 * what it was doing ({@code "pushing layer sha256:ab12: uploading blob: HTTP 401"}).
 */
public class JbuildException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String place;

  public JbuildException(String message) {
    this(null, message, null);
  }

  public JbuildException(String message, Throwable cause) {
    this(null, message, cause);
  }

  public JbuildException(String place, String message, Throwable cause) {
    super(message, cause);
    this.place = place;
  }

  /** Where the error happened, if known: printed as {@code place: message}. */
  public Optional<String> place() {
    return Optional.ofNullable(place);
  }

  /** The message with its place in front, as the CLI prints it. */
  public String describe() {
    return place == null ? getMessage() : place + ": " + getMessage();
  }
}
