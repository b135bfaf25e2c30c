package dev.jbuild.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs moby/patternmatcher's transcribed cases (shared/conformance/patternmatcher) as they are. */
class PatternMatcherConformanceTest {
  private static final Path DIR = Shared.conformance("patternmatcher");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode read(String name) throws IOException {
    return JSON.readTree(DIR.resolve(name).toFile());
  }

  private static List<String> strings(JsonNode arr) {
    List<String> l = new ArrayList<>();
    arr.forEach(n -> l.add(n.asText()));
    return l;
  }

  private static List<JsonNode> list(JsonNode arr) {
    List<JsonNode> l = new ArrayList<>();
    arr.forEach(l::add);
    return l;
  }

  @TestFactory
  Stream<DynamicTest> matchesOrParentMatches() throws IOException {
    JsonNode root = read("matches.json");
    List<JsonNode> cases = new ArrayList<>(list(root.get("single")));
    cases.addAll(list(root.get("multi")));
    assertEquals(72, cases.size());
    return cases.stream().map(c -> dynamicTest(c.get("patterns") + " " + c.get("path"), () -> {
      IgnoreRules rules = IgnoreRules.of(strings(c.get("patterns")));
      assertEquals(c.get("match").asBoolean(), rules.matchesOrParentMatches(c.get("path").asText()));
    }));
  }

  @TestFactory
  Stream<DynamicTest> filepathMatch() throws IOException {
    List<JsonNode> cases = list(read("filepath-match.json").get("cases"));
    assertEquals(54, cases.size());
    return cases.stream().map(c -> dynamicTest(c.get("pattern") + " " + c.get("path"), () -> {
      List<String> patterns = List.of(c.get("pattern").asText());
      String path = c.get("path").asText();
      if (!c.get("error").isNull()) {
        BadPatternException e = assertThrows(BadPatternException.class, () -> IgnoreRules.matches(path, patterns));
        assertTrue(e.getMessage().contains(BadPatternException.SYNTAX_ERROR), e.getMessage());
        assertThrows(BadPatternException.class, () -> Glob.match(c.get("pattern").asText(), path));
      } else {
        assertEquals(c.get("match").asBoolean(), IgnoreRules.matches(path, patterns));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> miscMatches() throws IOException {
    return list(read("misc.json").get("matches")).stream().map(c -> dynamicTest(c.get("name").asText(), () -> {
      List<String> patterns = strings(c.get("patterns"));
      String path = c.get("path").asText();
      if (c.path("error").asBoolean(false)) {
        assertThrows(BadPatternException.class, () -> IgnoreRules.matches(path, patterns));
      } else {
        assertEquals(c.get("match").asBoolean(), IgnoreRules.matches(path, patterns));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> miscNewMatcher() throws IOException {
    return list(read("misc.json").get("newMatcher")).stream().map(c -> dynamicTest(c.get("patterns").toString(), () -> {
      List<String> patterns = strings(c.get("patterns"));
      if (c.path("error").asBoolean(false)) {
        BadPatternException e = assertThrows(BadPatternException.class, () -> IgnoreRules.of(patterns));
        assertEquals(c.get("errorMessage").asText(), e.getMessage());
        return;
      }
      IgnoreRules rules = IgnoreRules.of(patterns);
      if (c.has("patternCount")) {
        assertEquals(c.get("patternCount").asInt(), rules.patterns().size());
      }
      if (c.has("hasExclusions")) {
        assertEquals(c.get("hasExclusions").asBoolean(), rules.hasExclusions());
      }
    }));
  }

  @Test
  void lazyBadPattern() throws IOException {
    JsonNode c = read("misc.json").get("lazyBadPattern");
    IgnoreRules rules = IgnoreRules.of(strings(c.get("patterns")));
    assertTrue(c.get("newSucceeds").asBoolean());
    String path = c.get("path").asText();
    for (int i = 0; i < 2; i++) {
      BadPatternException e = assertThrows(BadPatternException.class, () -> rules.matchesOrParentMatches(path));
      assertTrue(e.getMessage().contains(BadPatternException.SYNTAX_ERROR), e.getMessage());
    }
  }

  @Test
  void ignoreFileReadAll() throws IOException {
    JsonNode root = read("ignorefile-readall.json");
    assertEquals(strings(root.get("expected")), IgnoreFile.read(root.get("content").asText()));
    assertEquals(List.of(), IgnoreFile.read(null));
  }

  @TestFactory
  Stream<DynamicTest> compile() throws IOException {
    return list(read("compile.json").get("cases")).stream().map(c -> dynamicTest(c.get("pattern").asText(), () -> {
      IgnorePattern p = IgnoreRules.of(List.of(c.get("pattern").asText())).patterns().get(0);
      assertEquals(c.get("matchType").asText().toUpperCase(java.util.Locale.ROOT), p.matchType().name());
      JsonNode re = c.get("regexp");
      assertEquals(re.isNull() ? Optional.empty() : Optional.of(re.asText()), p.goRegexp());
    }));
  }

  @Test
  void nonConformanceMatcherDetails() {
    // A class may hold '[' and '&', which Java's regex syntax would otherwise read as nesting/intersection.
    assertTrue(IgnoreRules.of(List.of("a[[&]*")).matchesOrParentMatches("a&x"));
    assertTrue(IgnoreRules.of(List.of("a[[&]*")).matchesOrParentMatches("a[/y"));
    assertFalse(IgnoreRules.of(List.of("a[[&]*")).matchesOrParentMatches("ab"));
    // '**' suffix patterns match by plain suffix, as upstream does.
    assertTrue(IgnoreRules.of(List.of("**file")).matchesOrParentMatches("xfile"));
  }
}
