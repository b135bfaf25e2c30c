package dev.jbuild.builder.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.instruction.Copy;
import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.Run;
import dev.jbuild.builder.instruction.Workdir;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.store.oci.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static BuildPlan plan(String text, BuildOptions o) {
    return Planner.plan(Parser.parse("Buildfile", text), o);
  }

  @Test
  void buildArgWithoutValueComesFromTheEnvironment() {
    Map<String, String> m =
        BuildOptions.resolveBuildArgs(
            List.of("A=1", "B", "C", "A=2", "D="), Map.of("B", "from-env"));
    assertEquals(Map.of("A", "2", "B", "from-env", "D", ""), m);
    assertThrows(
        IllegalArgumentException.class,
        () -> BuildOptions.resolveBuildArgs(List.of("=x"), Map.of()));
  }

  @Test
  void targetSelectsAndPrunes() {
    String text =
        "FROM alpine AS a\nFROM alpine AS b\nCOPY --from=a /x /y\nFROM b AS c\nFROM alpine AS d\n";
    BuildPlan p = plan(text, new BuildOptions(Map.of(), Optional.of("C"), Platform.LINUX_AMD64));
    assertEquals(2, p.target());
    assertEquals(List.of(0, 1, 2), p.order());
    assertEquals(Set.of(0), p.dependenciesOf(1));
    assertEquals(Set.of(1), p.dependenciesOf(2));
    assertEquals(
        List.of(0, 1, 2, 3),
        plan(text, BuildOptions.defaults()).stages().stream().map(Stage::index).toList());
    assertEquals(List.of(3), plan(text, BuildOptions.defaults()).order());
    assertEquals(Optional.of(1), p.stage("b").map(Stage::index));
    assertEquals(Optional.of(3), p.stage("3").map(Stage::index));
    assertEquals(Optional.of(0), p.source(1, "A").map(Stage::index));
    assertEquals(Optional.empty(), p.source(1, "c"));
    assertEquals(Optional.empty(), p.source(1, "alpine:3"));
    BuildfileException e =
        assertThrows(
            BuildfileException.class,
            () -> plan(text, new BuildOptions(Map.of(), Optional.of("x"), Platform.LINUX_AMD64)));
    assertEquals("target stage \"x\" could not be found (stages: a, b, c, d)", e.getMessage());
  }

  @Test
  void engineDrivesExpansionWithTheBaseImageEnv() {
    BuildPlan p = plan("FROM alpine\nWORKDIR $HOME/app\nRUN echo $HOME\n", BuildOptions.defaults());
    StageEnv env = p.stageEnv(0, List.of("HOME=/root", "PATH=/bin"));
    Workdir w =
        assertInstanceOf(Workdir.class, env.expand(p.stages().get(0).instructions().get(0)));
    assertEquals("/root/app", w.path());
    Run r = assertInstanceOf(Run.class, env.expand(p.stages().get(0).instructions().get(1)));
    assertEquals(new dev.jbuild.builder.instruction.ShellForm("echo $HOME"), r.command());
    assertEquals(List.of("HOME=/root", "PATH=/bin"), env.runEnvironment());
  }

  @Test
  void globalArgsAreOnlyForFromLines() {
    BuildPlan p = plan("ARG V=1\nFROM alpine:$V\nCOPY a /$V/\n", BuildOptions.defaults());
    assertEquals("alpine:1", p.stages().get(0).base());
    Copy c =
        assertInstanceOf(
            Copy.class, p.stageEnv(0, List.of()).expand(p.stages().get(0).instructions().get(0)));
    assertEquals("//", c.destination());
  }

  @Test
  void onbuildTriggersAreTypedAndRefuseFrom() {
    List<Instruction> t =
        Planner.parseTriggers(List.of("RUN echo hi", "COPY <<EOF /x\nhello\nEOF"));
    assertInstanceOf(Run.class, t.get(0));
    Copy c = assertInstanceOf(Copy.class, t.get(1));
    assertEquals("hello\n", c.inlineSources().get(0).data());
    assertThrows(BuildfileException.class, () -> Planner.parseTriggers(List.of("FROM x")));
  }

  @Test
  void checkExitsCleanOnlyWithoutErrors() {
    assertTrue(BuildfileChecker.check("B", "FROM a\nCMD [\"x\"]\n", BuildOptions.defaults()).ok());
    CheckReport warnOnly =
        BuildfileChecker.check("B", "FROM a\nMAINTAINER me\n", BuildOptions.defaults());
    assertTrue(warnOnly.ok());
    assertEquals(1, warnOnly.warnings().size());
    assertFalse(BuildfileChecker.check("B", "FROM a\nRUNN x\n", BuildOptions.defaults()).ok());
  }

  @Test
  void describePrintsPlaceLineAndCaret() {
    BuildfileException e =
        assertThrows(
            BuildfileException.class,
            () ->
                Planner.plan(
                    Parser.parse("Buildfile", "FROM a\n  RUNN x\n"), BuildOptions.defaults()));
    assertEquals(
        "Buildfile:2:3: unknown instruction: RUNN (did you mean RUN?)\n  RUNN x\n  ^",
        e.describe());
  }

  @Test
  void deepSubstitutionNestingIsAnErrorNotAStackOverflow() {
    String ok =
        "FROM a\nENV A=\""
            + "${A:-".repeat(StageEnv.MAX_NESTING)
            + "x"
            + "}".repeat(StageEnv.MAX_NESTING)
            + "\"\n";
    assertTrue(BuildfileChecker.check("B", ok, BuildOptions.defaults()).ok());
    CheckReport r =
        BuildfileChecker.check(
            "B", "FROM a\nENV A=" + "${A:-".repeat(50_000) + "\n", BuildOptions.defaults());
    assertEquals(
        "variable substitution nested more than 100 levels deep", r.errors().get(0).message());
    assertEquals("B:2:1", r.errors().get(0).range().orElseThrow().toString());
    BuildfileException e =
        assertThrows(
            BuildfileException.class,
            () -> plan("FROM " + "${X:-".repeat(50_000) + "\n", BuildOptions.defaults()));
    assertEquals("B:1:1".replace("B", "Buildfile"), e.range().orElseThrow().toString());
  }
}
