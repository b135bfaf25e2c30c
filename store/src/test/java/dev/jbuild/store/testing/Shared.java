package dev.jbuild.store.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (conformance data, bench inputs) beside the checkout. */
public final class Shared {
  private Shared() {}

  public static Path dir() {
    String prop = System.getProperty("jbuild.shared");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop).normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path cand = p.resolveSibling("shared");
      if (Files.isDirectory(cand.resolve("conformance"))) {
        return cand;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find ../shared (set -Djbuild.shared)");
  }

  public static Path conformance(String sub) {
    return dir().resolve("conformance").resolve(sub);
  }
}
