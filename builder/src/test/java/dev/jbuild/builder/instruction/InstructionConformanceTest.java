package dev.jbuild.builder.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.Node;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.builder.parse.SourceRange;
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

/** Runs shared/conformance/buildkit-instructions (README section 2). */
class InstructionConformanceTest {
  static final Path DIR = Shared.conformance("buildkit-instructions");
  static final ObjectMapper JSON = new ObjectMapper();

  static Instruction first(String text) {
    return InstructionParser.parse(Parser.parse("Buildfile", text).children().get(0));
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  @TestFactory
  Stream<DynamicTest> errors() throws IOException {
    JsonNode c = JSON.readTree(DIR.resolve("instruction-errors.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : c.get("cases")) {
      String text = k.get("dockerfile").asText();
      tests.add(
          dynamicTest(
              k.has("name") ? k.get("name").asText() : text,
              () -> {
                ParseResult r = Parser.parse("Buildfile", text);
                BuildfileException e =
                    assertThrows(
                        BuildfileException.class,
                        () -> InstructionParser.parse(r.children().get(0)));
                assertTrue(
                    e.getMessage().contains(k.get("errorContains").asText()), e.getMessage());
                assertTrue(e.range().isPresent());
                assertTrue(e.describe().startsWith("Buildfile:1:"), e.describe());
              }));
    }
    for (JsonNode k : c.get("astLevelErrors").get("cases")) {
      String kw = k.get("instruction").asText();
      tests.add(
          dynamicTest(
              "ast " + kw + " " + k.get("tokens"),
              () -> {
                Node n =
                    new Node(
                        kw,
                        List.of(),
                        strings(k.get("tokens")),
                        Optional.empty(),
                        false,
                        List.of(),
                        kw,
                        SourceRange.at("Buildfile", 1, 1),
                        kw,
                        List.of());
                BuildfileException e =
                    assertThrows(BuildfileException.class, () -> InstructionParser.parse(n));
                assertTrue(e.getMessage().contains(k.get("error").asText()), e.getMessage());
                assertEquals("Buildfile:1:1", e.range().orElseThrow().toString());
              }));
    }
    return tests.stream();
  }

  @Test
  void healthcheckShellForm() throws IOException {
    JsonNode h =
        JSON.readTree(DIR.resolve("instruction-semantics.json").toFile()).get("healthcheck");
    Node n =
        new Node(
            "HEALTHCHECK",
            List.of(),
            strings(h.get("tokens")),
            Optional.empty(),
            false,
            List.of(),
            "",
            SourceRange.at("B", 1, 1),
            "",
            List.of());
    Healthcheck hc = assertInstanceOf(Healthcheck.class, InstructionParser.parse(n));
    assertEquals(strings(h.get("expectedTest")), hc.test());
  }

  @TestFactory
  Stream<DynamicTest> semantics() throws IOException {
    JsonNode s = JSON.readTree(DIR.resolve("instruction-semantics.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode k : s.get("runFlagsUsed")) {
      tests.add(
          dynamicTest(
              k.get("dockerfile").asText(),
              () -> {
                Run run = assertInstanceOf(Run.class, first(k.get("dockerfile").asText()));
                assertEquals(List.of("mount"), strings(k.get("expectedFlagsUsed")));
                assertEquals(1, run.mounts().size());
                assertEquals(RunMount.Type.TMPFS, run.mounts().get(0).type());
                assertEquals(Optional.of("/foo/"), run.mounts().get(0).target());
              }));
    }
    JsonNode hi = s.get("healthcheckInterval");
    for (JsonNode d : hi.get("reject")) {
      tests.add(
          dynamicTest(
              "interval reject " + d.asText(),
              () -> {
                BuildfileException e =
                    assertThrows(
                        BuildfileException.class,
                        () -> first("HEALTHCHECK --interval=" + d.asText() + " CMD true"));
                assertTrue(e.getMessage().contains("cannot be less than 1ms"), e.getMessage());
                assertEquals("Buildfile:1:13", e.range().orElseThrow().toString());
              }));
    }
    for (JsonNode d : hi.get("accept")) {
      tests.add(
          dynamicTest(
              "interval accept " + d.asText(),
              () -> {
                Healthcheck h =
                    assertInstanceOf(
                        Healthcheck.class,
                        first("HEALTHCHECK --interval=" + d.asText() + " CMD true"));
                assertEquals(GoDuration.parse(d.asText()), h.interval());
              }));
    }
    for (JsonNode k : s.get("copyHeredoc").get("cases")) {
      tests.add(
          dynamicTest(
              k.get("dockerfile").asText(),
              () -> {
                Copy c = assertInstanceOf(Copy.class, first(k.get("dockerfile").asText()));
                assertEquals(k.get("destPath").asText(), c.destination());
                assertEquals(strings(k.get("sourcePaths")), c.sources());
                List<String> want = new ArrayList<>();
                k.get("sourceContents")
                    .forEach(
                        sc ->
                            want.add(
                                sc.get("path").asText()
                                    + "|"
                                    + sc.get("data").asText()
                                    + "|"
                                    + sc.get("expand").asBoolean()));
                assertEquals(
                    want,
                    c.inlineSources().stream()
                        .map(f -> f.name() + "|" + f.effectiveData() + "|" + f.expand())
                        .toList());
              }));
    }
    for (JsonNode k : s.get("runHeredoc").get("cases")) {
      tests.add(
          dynamicTest(
              k.get("dockerfile").asText(),
              () -> {
                Run r = assertInstanceOf(Run.class, first(k.get("dockerfile").asText()));
                boolean shell = k.get("prependShell").asBoolean();
                List<String> cmdLine =
                    switch (r.command()) {
                      case ShellForm sf -> List.of(sf.command());
                      case ExecForm ef -> ef.args();
                    };
                assertEquals(shell, r.command() instanceof ShellForm);
                assertEquals(strings(k.get("cmdLine")), cmdLine);
                List<String> want = new ArrayList<>();
                k.get("files")
                    .forEach(
                        f ->
                            want.add(
                                f.get("name").asText()
                                    + "|"
                                    + f.get("data").asText()
                                    + "|"
                                    + f.get("chomp").asBoolean()));
                assertEquals(
                    want,
                    r.files().stream()
                        .map(f -> f.name() + "|" + f.data() + "|" + f.chomp())
                        .toList());
              }));
    }
    JsonNode dc = s.get("docComments");
    tests.add(
        dynamicTest(
            "doc comments",
            () -> {
              List<Instruction> all =
                  Parser.parse("B", dc.get("dockerfile").asText()).children().stream()
                      .map(InstructionParser::parse)
                      .toList();
              JsonNode exp = dc.get("expected");
              Arg meta = assertInstanceOf(Arg.class, all.get(0));
              assertEquals(
                  exp.get("metaArgs").get(0).get("key").asText(), meta.args().get(0).name());
              assertEquals(
                  exp.get("metaArgs").get(0).get("doc").asText(), meta.args().get(0).doc());
              From from = assertInstanceOf(From.class, all.get(1));
              assertEquals(exp.get("stage0DocComment").asText(), from.doc());
              for (int i = 0; i < exp.get("stage0Commands").size(); i++) {
                Arg a = assertInstanceOf(Arg.class, all.get(2 + i));
                JsonNode args = exp.get("stage0Commands").get(i).get("args");
                assertEquals(args.size(), a.args().size());
                for (int j = 0; j < args.size(); j++) {
                  assertEquals(args.get(j).get("key").asText(), a.args().get(j).name());
                  assertEquals(args.get(j).get("doc").asText(), a.args().get(j).doc());
                }
              }
            }));
    return tests.stream();
  }
}
