package dev.jbuild.store.registry;

/**
 * An error code of the distribution spec, as registries put them in {@code {"errors":[{"code":..}]}}.
 * Codes this client does not know parse as {@link #UNKNOWN}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">error codes</a>
 */
public enum ErrorCode {
  BLOB_UNKNOWN,
  BLOB_UPLOAD_INVALID,
  BLOB_UPLOAD_UNKNOWN,
  DIGEST_INVALID,
  MANIFEST_BLOB_UNKNOWN,
  MANIFEST_INVALID,
  MANIFEST_UNKNOWN,
  NAME_INVALID,
  NAME_UNKNOWN,
  SIZE_INVALID,
  UNAUTHORIZED,
  DENIED,
  UNSUPPORTED,
  TOOMANYREQUESTS,
  UNKNOWN;

  /** The code for a wire value such as {@code "MANIFEST_UNKNOWN"}; {@link #UNKNOWN} for others. */
  public static ErrorCode parse(String code) {
    if (code == null) {
      return UNKNOWN;
    }
    for (ErrorCode c : values()) {
      if (c.name().equalsIgnoreCase(code.strip())) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
