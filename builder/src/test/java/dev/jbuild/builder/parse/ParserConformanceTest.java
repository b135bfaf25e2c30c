package dev.jbuild.builder.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs shared/conformance/buildkit-parser as it is (see its README section 1). */
class ParserConformanceTest {
  static final Path DIR = Shared.conformance("buildkit-parser");
  static final ObjectMapper JSON = new ObjectMapper();

  static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }

  static List<Path> dirs(String sub) throws IOException {
    try (Stream<Path> s = Files.list(DIR.resolve(sub))) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> testfilesDumpExactly() throws IOException {
    List<Path> cases = dirs("testfiles");
    assertEquals(33, cases.size());
    return cases.stream()
        .map(
            d ->
                dynamicTest(
                    d.getFileName().toString(),
                    () -> {
                      ParseResult r = Parser.parse("Dockerfile", read(d.resolve("Dockerfile")));
                      assertEquals(read(d.resolve("result")), AstDumper.dump(r.children()) + "\n");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> negativeCasesFailWithALocation() throws IOException {
    List<Path> cases = dirs("testfiles-negative");
    assertEquals(4, cases.size());
    return cases.stream()
        .map(
            d ->
                dynamicTest(
                    d.getFileName().toString(),
                    () -> {
                      BuildfileException e =
                          assertThrows(
                              BuildfileException.class,
                              () -> Parser.parse("Dockerfile", read(d.resolve("Dockerfile"))));
                      assertTrue(e.range().isPresent(), e.getMessage());
                      assertTrue(e.describe().startsWith("Dockerfile:"), e.describe());
                    }));
  }

  @Test
  void lineNumbers() throws IOException {
    JsonNode exp = JSON.readTree(DIR.resolve("testfile-line/expected.json").toFile());
    ParseResult r = Parser.parse("Dockerfile", read(DIR.resolve("testfile-line/Dockerfile")));
    assertEquals(exp.get("childCount").asInt(), r.children().size());
    for (int i = 0; i < r.children().size(); i++) {
      SourceRange range = r.children().get(i).range();
      assertEquals(exp.get("children").get(i).get(0).asInt(), range.start().line());
      assertEquals(exp.get("children").get(i).get(1).asInt(), range.end().line());
    }
    assertEquals(
        exp.get("root").get("startLine").asInt(), r.children().get(0).range().start().line());
    assertEquals(
        exp.get("root").get("endLine").asInt(), r.children().getLast().range().end().line());
  }

  @TestFactory
  Stream<DynamicTest> extractHeredocs() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : List.of("extract-heredocs", "json-heredocs")) {
      JsonNode exp = JSON.readTree(DIR.resolve("heredoc/" + name + ".expected.json").toFile());
      ParseResult r =
          Parser.parse("Dockerfile", read(DIR.resolve("heredoc/" + name + ".Dockerfile")));
      assertEquals("from", r.children().get(0).command());
      for (JsonNode c : exp.get("children")) {
        int idx = c.get("childIndex").asInt();
        tests.add(
            dynamicTest(
                name + " #" + idx,
                () -> {
                  List<Heredoc> got = r.children().get(idx).heredocs();
                  JsonNode want = c.get("heredocs");
                  if (want == null || want.isNull()) {
                    assertEquals(List.of(), got);
                    return;
                  }
                  List<Heredoc> expected = new ArrayList<>();
                  for (JsonNode h : want) {
                    expected.add(
                        new Heredoc(
                            h.get("name").asText(),
                            h.get("content").asText(),
                            h.get("expand").asBoolean(),
                            h.get("chomp").asBoolean(),
                            h.get("fileDescriptor").asInt()));
                  }
                  assertEquals(expected, got);
                }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> heredocHelpers() throws IOException {
    JsonNode h = JSON.readTree(DIR.resolve("heredoc/heredoc-helpers.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    JsonNode ph = h.get("parseHeredoc");
    for (JsonNode w : ph.get("valid")) {
      tests.add(
          dynamicTest(
              "valid " + w.asText(),
              () -> {
                Heredoc d = HeredocWords.parse(w.asText());
                assertNotNull(d);
                assertEquals(ph.get("validExpectedName").asText(), d.name());
              }));
    }
    for (JsonNode w : ph.get("invalid")) {
      tests.add(
          dynamicTest(
              "invalid " + w.asText(),
              () -> assertThrows(BuildfileException.class, () -> HeredocWords.parse(w.asText()))));
    }
    for (JsonNode w : ph.get("notHeredoc")) {
      tests.add(
          dynamicTest(
              "not a heredoc '" + w.asText() + "'",
              () -> assertNull(HeredocWords.parse(w.asText()))));
    }
    for (JsonNode c : h.get("heredocsFromLine").get("cases")) {
      tests.add(
          dynamicTest(
              "line " + c.get("line").asText(),
              () -> {
                List<String> names =
                    HeredocWords.fromLine(c.get("line").asText()).stream()
                        .map(Heredoc::name)
                        .toList();
                List<String> want = new ArrayList<>();
                if (!c.get("names").isNull()) {
                  c.get("names").forEach(n -> want.add(n.asText()));
                }
                assertEquals(want, names);
              }));
    }
    for (JsonNode c : h.get("chomp").get("cases")) {
      tests.add(
          dynamicTest(
              "chomp",
              () ->
                  assertEquals(
                      c.get("expected").asText(), Heredoc.chompContent(c.get("input").asText()))));
    }
    return tests.stream();
  }

  @Test
  void emptyContinuationWarnings() throws IOException {
    JsonNode exp = JSON.readTree(DIR.resolve("warnings/empty-continuation.expected.json").toFile());
    ParseResult r =
        Parser.parse("Dockerfile", read(DIR.resolve("warnings/empty-continuation.Dockerfile")));
    assertEquals(exp.get("warningCount").asInt(), r.warnings().size());
    for (int i = 0; i < r.warnings().size(); i++) {
      for (JsonNode s : exp.get("warnings").get(i).get("shortContains")) {
        assertTrue(
            r.warnings().get(i).message().contains(s.asText()), r.warnings().get(i).message());
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> parseWords() throws IOException {
    JsonNode c = JSON.readTree(DIR.resolve("cases/parse-words.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : c.get("cases")) {
      tests.add(
          dynamicTest(
              k.get("input").asText(),
              () -> {
                List<String> want = new ArrayList<>();
                k.get("expected").forEach(e -> want.add(e.asText()));
                assertEquals(want, Parser.parseWords(k.get("input").asText(), '\\'));
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> jsonArrays() throws IOException {
    JsonNode c = JSON.readTree(DIR.resolve("cases/json-arrays.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : c.get("valid")) {
      tests.add(
          dynamicTest(
              "valid " + k.get("input").asText(),
              () -> {
                List<String> want = new ArrayList<>();
                k.get("expected").forEach(e -> want.add(e.asText()));
                assertEquals(want, JsonArray.parse(k.get("input").asText()));
                Node n = Parser.parse("B", "CMD " + k.get("input").asText()).children().get(0);
                assertTrue(n.json());
                assertEquals(want, n.args());
              }));
    }
    for (JsonNode k : c.get("invalidNotStringArray")) {
      tests.add(
          dynamicTest(
              "invalid " + k.asText(),
              () -> {
                BuildfileException e =
                    assertThrows(
                        BuildfileException.class, () -> Parser.parse("B", "RUN " + k.asText()));
                assertTrue(e.getMessage().contains("arrays must be comprised of strings only"));
                assertEquals("B:1:1", e.range().orElseThrow().toString());
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> nameVal() throws IOException {
    JsonNode c = JSON.readTree(DIR.resolve("cases/name-val.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : c.get("cases")) {
      String text = k.get("instruction").asText() + " " + k.get("input").asText();
      tests.add(
          dynamicTest(
              text,
              () -> {
                if (k.has("error")) {
                  BuildfileException e =
                      assertThrows(BuildfileException.class, () -> Parser.parse("B", text));
                  assertTrue(e.getMessage().contains(k.get("error").asText()), e.getMessage());
                } else {
                  List<String> want = new ArrayList<>();
                  k.get("expected").forEach(e -> want.add(e.asText()));
                  assertEquals(want, Parser.parse("B", text).children().get(0).args());
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> directives() throws IOException {
    JsonNode c = JSON.readTree(DIR.resolve("cases/directives.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : c.get("parseAll")) {
      tests.add(
          dynamicTest(
              "parseAll " + k.get("text").asText(),
              () -> {
                // the texts hold directives only, so parse them with an instruction after them
                Directives d = Parser.parse("B", k.get("text").asText() + "FROM x\n").directives();
                for (JsonNode e : k.get("expected")) {
                  assertEquals("escape", e.get("name").asText());
                  assertEquals(e.get("value").asText().charAt(0), d.escape());
                }
              }));
    }
    for (String group : List.of("detectSyntax", "parseDirective")) {
      for (JsonNode k : c.get(group)) {
        String text =
            k.has("textBase64")
                ? new String(
                    Base64.getDecoder().decode(k.get("textBase64").asText()),
                    StandardCharsets.UTF_8)
                : k.get("text").asText();
        String key = k.has("key") ? k.get("key").asText() : "syntax";
        tests.add(
            dynamicTest(
                group + " " + text,
                () -> {
                  Optional<Directives.Found> f =
                      Directives.detect(key, text, group.equals("detectSyntax"));
                  assertEquals(k.get("found").asBoolean(), f.isPresent(), text);
                  if (f.isPresent()) {
                    assertEquals(k.get("ref").asText(), f.get().ref());
                    if (k.has("cmdline")) {
                      assertEquals(k.get("cmdline").asText(), f.get().cmdline());
                    }
                    if (k.has("line")) {
                      assertEquals(k.get("line").asInt(), f.get().line());
                    }
                  }
                }));
      }
    }
    return tests.stream();
  }

  @Test
  void longLinesAreAcceptedOnPurpose() throws IOException {
    // line-too-long.json records upstream's 64 KiB scanner limit; jbuild has no such limit
    JsonNode c = JSON.readTree(DIR.resolve("cases/line-too-long.json").toFile());
    String text =
        c.get("prefix").asText()
            + c.get("repeat").get("char").asText().repeat(c.get("repeat").get("count").asInt())
            + c.get("suffix").asText();
    ParseResult r = Parser.parse("B", text);
    assertEquals(2, r.children().size());
    assertFalse(r.children().get(1).args().get(1).isEmpty());
  }
}
