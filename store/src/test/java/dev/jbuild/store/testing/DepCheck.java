package dev.jbuild.store.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Package rules by reading import lines (go-containerregistry's depcheck idea): a module's sources
 * may not import the packages of modules above it, and only {@code dev.jbuild.store.sys} may
 * import JNA.
 */
public final class DepCheck {
  private DepCheck() {}

  /**
   * Fails listing every source file under {@code srcRoot} with an import starting with one of
   * {@code forbidden}, unless the file's own package starts with one of {@code allowedIn}.
   */
  public static void assertNoImports(Path srcRoot, List<String> forbidden, List<String> allowedIn) throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> files = Files.walk(srcRoot)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String pkg = "";
        for (String line : Files.readAllLines(f)) {
          String t = line.strip();
          if (t.startsWith("package ")) {
            pkg = t.substring(8, t.length() - 1).strip();
          }
          if (!t.startsWith("import ")) {
            continue;
          }
          String imp = t.substring(7).replace("static ", "").strip();
          for (String prefix : forbidden) {
            String owner = pkg;
            if (imp.startsWith(prefix) && allowedIn.stream().noneMatch(owner::startsWith)) {
              bad.add(srcRoot.relativize(f) + ": " + t);
            }
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      fail("forbidden imports:\n  " + String.join("\n  ", bad));
    }
  }

  /** The module's main source root, found from the test's working directory (Maven runs in the module). */
  public static Path mainSources() {
    return Path.of("src/main/java");
  }
}
