package dev.jbuild.store.digest;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A content digest such as {@code sha256:e3b0...}: an algorithm and its lower-case hex value.
 *
 * <p>{@code Digest.parse(d.toString()).equals(d)} always holds.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">descriptor.md</a>
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {

  public Digest {
    if (algorithm == null || hex == null) {
      throw new InvalidDigestException("digest needs an algorithm and a value");
    }
    if (hex.length() != algorithm.hexLength()) {
      throw new InvalidDigestException(
          "invalid " + algorithm.id() + " digest: want " + algorithm.hexLength() + " hex digits, got " + hex.length());
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new InvalidDigestException("invalid " + algorithm.id() + " digest: not lower-case hex: \"" + hex + "\"");
      }
    }
  }

  /** Parses {@code algorithm:hex}. */
  public static Digest parse(String s) {
    if (s == null) {
      throw new InvalidDigestException("missing digest");
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new InvalidDigestException("invalid digest \"" + s + "\": want algorithm:hex");
    }
    return new Digest(DigestAlgorithm.fromId(s.substring(0, colon)), s.substring(colon + 1));
  }

  public static Digest sha256(byte[] rawDigest) {
    return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(rawDigest));
  }

  /** The sha256 digest of some bytes. */
  public static Digest of(byte[] content) {
    return sha256(DigestAlgorithm.SHA256.newMessageDigest().digest(content));
  }

  /** The sha256 digest of a string's UTF-8 bytes. */
  public static Digest of(String content) {
    return of(content.getBytes(StandardCharsets.UTF_8));
  }

  /** The first 12 hex digits, as {@code docker images} shows an image id. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm.prefix() + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }
}
