package dev.jbuild.runtime.container;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A container id: 64 lowercase hex digits, shown as its first 12 ({@link #shortId()}), as docker does. */
public record ContainerId(String hex) {
  private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{64}");

  public ContainerId {
    if (hex == null || !SHAPE.matcher(hex).matches()) {
      throw new JbuildException("invalid container id " + hex + " (64 lowercase hex digits)");
    }
  }

  /**
   * 256 random bits from the kernel's CSPRNG, read from /dev/urandom as SecureRandom's NativePRNG
   * would, without the security-provider set-up that costs a one-shot {@code jbuild run} a few ms.
   */
  public static ContainerId random() {
    byte[] b;
    try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
      b = in.readNBytes(32);
    } catch (IOException e) {
      throw new UncheckedIOException("reading /dev/urandom for a container id", e);
    }
    if (b.length != 32) {
      throw new IllegalStateException("short read from /dev/urandom");
    }
    return new ContainerId(HexFormat.of().formatHex(b));
  }

  @JsonCreator
  public static ContainerId parse(String s) {
    return new ContainerId(s);
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  // written out, as MediaType's: no invokedynamic bootstrap on first use
  @Override
  public boolean equals(Object o) {
    return o instanceof ContainerId c && hex.equals(c.hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @JsonValue
  @Override
  public String toString() {
    return hex;
  }
}
