package dev.jbuild.runtime.container;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jbuild.store.JbuildException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A container id: 64 lowercase hex digits, shown as its first 12 ({@link #shortId()}), as docker does. */
public record ContainerId(String hex) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public ContainerId {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new JbuildException("invalid container id " + hex + " (64 lowercase hex digits)");
    }
  }

  public static ContainerId random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return new ContainerId(HexFormat.of().formatHex(b));
  }

  @JsonCreator
  public static ContainerId parse(String s) {
    return new ContainerId(s);
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  @JsonValue
  @Override
  public String toString() {
    return hex;
  }
}
