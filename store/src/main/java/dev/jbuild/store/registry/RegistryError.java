package dev.jbuild.store.registry;

/**
 * One entry of a registry's error list: its code, the wire code as sent (kept for codes this client
 * does not know) and the message.
 */
public record RegistryError(ErrorCode code, String rawCode, String message) {
  public RegistryError {
    if (code == null) {
      throw new IllegalArgumentException("registry error needs a code");
    }
    rawCode = rawCode == null ? code.name() : rawCode;
    message = message == null ? "" : message;
  }

  @Override
  public String toString() {
    return message.isEmpty() ? rawCode : rawCode + ": " + message;
  }
}
