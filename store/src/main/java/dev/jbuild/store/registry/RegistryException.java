package dev.jbuild.store.registry;

import dev.jbuild.store.JbuildException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failed registry operation: the HTTP status (0 when no response came, e.g. a connection reset),
 * the registry's parsed error list, and whether trying again later may succeed.
 *
 * <p>The message is a chain of phrases: {@code pulling blob sha256:ab12cd34ef56: HTTP 401
 * UNAUTHORIZED: authentication required}.
 */
public class RegistryException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient List<RegistryError> errors;
  private final transient Duration retryAfter;

  public RegistryException(String message, int status, List<RegistryError> errors, Throwable cause) {
    this(message, status, errors, null, cause);
  }

  /** @param retryAfter how long the registry asked to wait ({@code Retry-After}), or null */
  public RegistryException(String message, int status, List<RegistryError> errors, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfter = retryAfter;
  }

  public RegistryException(String message) {
    this(message, 0, List.of(), null);
  }

  /** The HTTP status, or 0 when the request got no response. */
  public int status() {
    return status;
  }

  /** The registry's error list, possibly empty. */
  public List<RegistryError> errors() {
    return errors;
  }

  /** How long the registry asked clients to wait before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True if the registry said so with this code. */
  public boolean has(ErrorCode code) {
    return errors.stream().anyMatch(e -> e.code() == code);
  }

  /**
   * True when trying again later may succeed: no response at all (but not an interruption), 429,
   * or a server error.
   */
  public boolean isTemporary() {
    if (status == 0 && getCause() instanceof java.io.InterruptedIOException) {
      return false;
    }
    return status == 0 || status == 429 || status >= 500 || has(ErrorCode.TOOMANYREQUESTS);
  }
}
