package dev.jbuild.builder.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs BuildKit's shell lexer conformance data (shared/conformance/buildkit-shell) as it is. */
class ShellLexConformanceTest {
  private static final Path DIR = Shared.conformance("buildkit-shell");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ShellLex lex = new ShellLex('\\');

  @TestFactory
  Stream<DynamicTest> envVarTest() throws IOException {
    Env env = Env.of(Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", ""));
    List<String> lines = Files.readAllLines(DIR.resolve("envVarTest"), StandardCharsets.UTF_8);
    List<DynamicTest> tests = new ArrayList<>();
    int unixCases = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#") || line.strip().isEmpty()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      assertEquals(3, f.length, "line " + (i + 1) + " must have 3 fields");
      String platform = f[0].strip();
      String input = f[1].strip();
      String expected = f[2].strip();
      if (platform.equals("W")) {
        continue;
      }
      assertTrue(platform.equals("A") || platform.equals("U"), "platform " + platform);
      unixCases++;
      tests.add(dynamicTest("line " + (i + 1) + ": " + input, () -> {
        if (expected.equals("error")) {
          assertThrows(ShellSyntaxException.class, () -> lex.processWord(input, env), input);
        } else {
          assertEquals(expected, lex.processWord(input, env), input);
        }
      }));
    }
    // 230 case lines minus the 2 Windows-only ones.
    assertEquals(228, unixCases);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> wordsTest() throws IOException {
    List<String> lines = Files.readAllLines(DIR.resolve("wordsTest"), StandardCharsets.UTF_8);
    Map<String, String> env = new LinkedHashMap<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        String entry = line.substring(4).stripLeading();
        int eq = entry.indexOf('=');
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
        continue;
      }
      String[] f = line.split("\\|", -1);
      assertEquals(2, f.length, "line " + (i + 1) + " must have one |");
      String input = f[0].strip();
      String expectedPart = f[1].replaceFirst("^ +", "");
      Env snapshot = Env.of(env);
      tests.add(dynamicTest("line " + (i + 1) + ": " + input, () -> {
        if (expectedPart.equals("error")) {
          assertThrows(ShellSyntaxException.class, () -> lex.processWords(input, snapshot), input);
        } else {
          assertEquals(Arrays.asList(expectedPart.split(",", -1)), lex.processWords(input, snapshot), input);
        }
      }));
    }
    assertEquals(24, tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> processWordWithMatches() throws IOException {
    JsonNode root = JSON.readTree(DIR.resolve("process-word-with-matches.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      String input = c.get("input").asText();
      Env env = envOf(c.get("env"));
      boolean unspecified = c.path("unspecified").asBoolean(false);
      String name = (unspecified ? "unspecified: " : "") + input + " " + c.get("env");
      tests.add(dynamicTest(name, () -> {
        if (c.path("error").asBoolean(false)) {
          assertThrows(ShellSyntaxException.class, () -> lex.processWordWithMatches(input, env), input);
          return;
        }
        ProcessResult r = lex.processWordWithMatches(input, env);
        assertEquals(c.get("expected").asText(), r.result(), input);
        assertEquals(strings(c.get("matched")), r.matched(), "matched");
        assertEquals(strings(c.get("unmatched")), r.unmatched(), "unmatched");
      }));
    }
    assertEquals(47, tests.size());
    for (JsonNode c : root.get("platformCases")) {
      String input = c.get("input").asText();
      Env env = envOf(c.get("env"));
      tests.add(dynamicTest("platform: " + c.get("env"), () ->
          assertEquals(c.get("expected").asText(), lex.processWord(input, env))));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> mandatoryEnv() throws IOException {
    JsonNode root = JSON.readTree(DIR.resolve("mandatory-env.json").toFile());
    return stream(root.get("cases")).map(c -> dynamicTest(c.get("input").asText() + " (" + c.get("envSet").asText() + ")", () -> {
      Env env = Env.fromList(strings(root.get("envSets").get(c.get("envSet").asText())).stream().toList());
      String input = c.get("input").asText();
      if (c.has("errorContains")) {
        ShellSyntaxException e = assertThrows(ShellSyntaxException.class, () -> lex.processWord(input, env));
        String want = c.get("errorContains").asText();
        assertTrue(e.getMessage().contains(want), e.getMessage() + " should contain " + want);
      } else {
        assertEquals(c.get("expected").asText(), lex.processWord(input, env));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> envLookup() throws IOException {
    JsonNode root = JSON.readTree(DIR.resolve("env-lookup.json").toFile());
    return stream(root.get("cases")).map(c -> dynamicTest(c.get("env") + " " + c.get("lookup").asText(), () -> {
      List<String> entries = new ArrayList<>();
      c.get("env").forEach(e -> entries.add(e.asText()));
      Env env = Env.fromList(entries);
      assertEquals(c.get("expected").asText(), env.get(c.get("lookup").asText()).orElse(""));
    }));
  }

  private static Env envOf(JsonNode obj) {
    Map<String, String> m = new LinkedHashMap<>();
    obj.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return Env.of(m);
  }

  private static Set<String> strings(JsonNode arr) {
    Set<String> s = new HashSet<>();
    arr.forEach(n -> s.add(n.asText()));
    return s;
  }

  private static Stream<JsonNode> stream(JsonNode arr) {
    List<JsonNode> l = new ArrayList<>();
    arr.forEach(l::add);
    return l.stream();
  }
}
