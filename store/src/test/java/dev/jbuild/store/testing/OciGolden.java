package dev.jbuild.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files for byte-exact outputs (Jib's JSON templates): compares bytes with a file under
 * {@code src/test/resources}; with {@code -Djbuild.golden.update=true} rewrites the file instead
 * (review that diff before committing).
 */
public final class OciGolden {
  private OciGolden() {}

  /** Asserts {@code actual} equals the file at {@code src/test/resources/<resource>}. */
  public static void assertMatches(String resource, byte[] actual) throws IOException {
    Path file = Path.of("src/test/resources").resolve(resource);
    if (Boolean.getBoolean("jbuild.golden.update")) {
      Files.createDirectories(file.getParent());
      Files.write(file, actual);
      return;
    }
    if (!Files.exists(file)) {
      throw new AssertionError("golden file " + file + " is missing; run with -Djbuild.golden.update=true to create it");
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
        "bytes differ from golden file " + file);
  }
}
