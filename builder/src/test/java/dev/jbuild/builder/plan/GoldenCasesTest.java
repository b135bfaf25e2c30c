package dev.jbuild.builder.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.parse.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases under src/test/resources: {@code check/<case>/} holds a Buildfile, optional {@code
 * options} (lines {@code build-arg K=V}, {@code build-arg K}, {@code env K=V}, {@code target S})
 * and {@code expected}, the exact {@code build --check} output; {@code expand/<case>/} holds the
 * same inputs and the expanded instructions of the stages to build. {@code
 * -Djbuild.golden.update=true} rewrites the expected files (review the diff).
 */
class GoldenCasesTest {
  static final Path ROOT = Path.of("src/test/resources");
  static final boolean UPDATE = Boolean.getBoolean("jbuild.golden.update");

  static List<Path> cases(String kind) throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve(kind))) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  static BuildOptions options(Path dir) throws IOException {
    Path f = dir.resolve("options");
    List<String> specs = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    Optional<String> target = Optional.empty();
    if (Files.exists(f)) {
      for (String line : Files.readAllLines(f)) {
        if (line.startsWith("build-arg ")) {
          specs.add(line.substring(10));
        } else if (line.startsWith("env ")) {
          String kv = line.substring(4);
          env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        } else if (line.startsWith("target ")) {
          target = Optional.of(line.substring(7));
        }
      }
    }
    return new BuildOptions(
        BuildOptions.resolveBuildArgs(specs, env), target, BuildOptions.defaults().platform());
  }

  static void compare(Path expected, String actual) throws IOException {
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertEquals(Files.readString(expected), actual);
  }

  @TestFactory
  Stream<DynamicTest> check() throws IOException {
    return cases("check").stream()
        .map(
            d ->
                dynamicTest(
                    d.getFileName().toString(),
                    () -> {
                      String text =
                          Files.readString(d.resolve("Buildfile"), StandardCharsets.UTF_8);
                      CheckReport r = BuildfileChecker.check("Buildfile", text, options(d));
                      compare(d.resolve("expected"), r.format() + "\n");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> expand() throws IOException {
    return cases("expand").stream()
        .map(
            d ->
                dynamicTest(
                    d.getFileName().toString(),
                    () -> {
                      String text =
                          Files.readString(d.resolve("Buildfile"), StandardCharsets.UTF_8);
                      BuildPlan plan = Planner.plan(Parser.parse("Buildfile", text), options(d));
                      StringBuilder sb = new StringBuilder();
                      Map<Integer, List<String>> finalEnv = new LinkedHashMap<>();
                      for (Stage s : plan.requiredStages()) {
                        sb.append("stage ")
                            .append(s.displayName())
                            .append(" base=")
                            .append(s.base())
                            .append(s.platform().map(p -> " platform=" + p).orElse(""))
                            .append(
                                s.baseStage().isPresent()
                                    ? " (stage " + s.baseStage().getAsInt() + ")"
                                    : "")
                            .append(" deps=")
                            .append(plan.dependenciesOf(s.index()))
                            .append('\n');
                        StageEnv env =
                            plan.stageEnv(
                                s.index(),
                                s.baseStage().isPresent()
                                    ? finalEnv.getOrDefault(s.baseStage().getAsInt(), List.of())
                                    : List.of("PATH=/usr/bin"));
                        for (Instruction in : s.instructions()) {
                          sb.append("  ").append(Printer.print(env.expand(in))).append('\n');
                          if (in.keyword().equals("RUN")) {
                            sb.append("    run env ").append(env.runEnvironment()).append('\n');
                          }
                        }
                        finalEnv.put(
                            s.index(),
                            env.env().entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .toList());
                      }
                      sb.append("unused build args ").append(plan.unusedBuildArgs()).append('\n');
                      compare(d.resolve("expected"), sb.toString());
                    }));
  }
}
