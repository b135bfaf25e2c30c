package dev.jbuild.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextMatchTest {
  @TempDir Path dir;
  private ContextMatch match;

  @BeforeEach
  void setUp() throws IOException {
    for (String f : List.of("a.txt", "b.txt", "c.md", "src/main.go", "src/util.go", "src/x_test.go", "src/sub/deep.go",
        "docs/a.txt", "docs/b.txt", "secret.txt", "star*.txt")) {
      Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f);
    }
    Files.createSymbolicLink(dir.resolve("srclink"), Path.of("src"));
    match = new ContextMatch(BuildContext.of(dir, IgnoreRules.of(List.of("secret.txt", "docs", "!docs/b.txt"))));
  }

  @Test
  void matchesOneLevelPerSegment() throws IOException {
    assertEquals(List.of("a.txt", "b.txt", "star*.txt"), match.glob("*.txt"));
    assertEquals(List.of("src/main.go", "src/util.go", "src/x_test.go"), match.glob("src/*.go"));
    assertEquals(List.of("src/sub/deep.go"), match.glob("/src/*/*.go"));
    assertEquals(List.of("srclink/main.go"), match.glob("srclink/m*.go"));
    assertEquals(List.of("a.txt", "b.txt"), match.glob("[ab].txt"));
    assertEquals(List.of("star*.txt"), match.glob("star\\*.txt"));
  }

  @Test
  void ignoredPathsNeverMatch() throws IOException {
    assertEquals(List.of("docs/b.txt"), match.glob("docs/*.txt"));
    // "docs" is excluded but still offers a re-included file, so it matches as a source directory.
    assertEquals(List.of("docs", "src", "srclink"), match.glob("[ds]*[^t]"));
  }

  @Test
  void noMatchIsEmptyAndBadPatternsFail() throws IOException {
    assertEquals(List.of(), match.glob("*.rs"));
    assertEquals(List.of(), match.glob("nope/*.go"));
    assertThrows(BadPatternException.class, () -> match.glob("src/[a"));
    assertThrows(ContextEscapeException.class, () -> match.glob("../*"));
  }
}
