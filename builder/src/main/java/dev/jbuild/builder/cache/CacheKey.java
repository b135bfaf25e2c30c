package dev.jbuild.builder.cache;

import dev.jbuild.store.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * The cache key of a build step: a sha256 over the parent step's key and the step's named inputs.
 * Prints as the digest; {@code parse(k.toString()).equals(k)}.
 */
public record CacheKey(Digest digest) {
  /** Bumped whenever what a step's result depends on changes meaning, so old records are never hit. */
  static final String VERSION = "jbuild-cache-v1";

  public CacheKey {
    Objects.requireNonNull(digest, "digest");
  }

  public static CacheKey parse(String s) {
    return new CacheKey(Digest.parse(s));
  }

  /** The key of the start of a chain: a base named by {@code base} (scratch, an image's manifest digest). */
  public static CacheKey root(String base) {
    return new CacheKey(Digest.of(VERSION + "\nroot\n" + base));
  }

  /**
   * The key of a step: a pure function of its parent's key and its inputs, in order. Every name and value
   * is length-prefixed, so no two different input lists hash the same bytes.
   */
  public static CacheKey of(CacheKey parent, StepInputs inputs) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("[internal error] no sha256", e);
    }
    feed(md, VERSION);
    feed(md, parent.toString());
    for (Map.Entry<String, String> e : inputs.entries().entrySet()) {
      feed(md, e.getKey());
      feed(md, e.getValue());
    }
    return new CacheKey(Digest.sha256(md.digest()));
  }

  private static void feed(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
    md.update(b);
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
