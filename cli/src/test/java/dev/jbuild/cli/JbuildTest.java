package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The dispatch that builds picocli's model only for the subcommand a command line names. */
class JbuildTest {
  static final PrintWriter QUIET = new PrintWriter(Writer.nullWriter());

  @Test
  void theTableNamesEveryCommandPicocliKnows() {
    CommandLine full = Jbuild.commandLine(QUIET, QUIET, Map.of());
    Set<String> names = new HashSet<>(Jbuild.SUBCOMMANDS.keySet());
    names.addAll(Jbuild.ALIASES.keySet());
    assertEquals(full.getSubcommands().keySet(), names);
    for (Map.Entry<String, String> a : Jbuild.ALIASES.entrySet()) {
      assertEquals(full.getSubcommands().get(a.getValue()).getCommandSpec().userObject().getClass(),
          full.getSubcommands().get(a.getKey()).getCommandSpec().userObject().getClass());
    }
  }

  @Test
  void oneCommandLineBuildsOnlyItsCommand() {
    CommandLine one = Jbuild.commandLine(QUIET, QUIET, Map.of(), List.of("run"));
    assertEquals(Set.of("run"), one.getSubcommands().keySet());
    assertTrue(one.getSubcommands().get("run").isStopAtPositional());
    // inherited options reach a subcommand added on its own
    assertTrue(one.getSubcommands().get("run").getCommandSpec().findOption("--debug") != null);
  }

  @Test
  void dispatchFindsTheSubcommandOrTheDefaultBuild() {
    assertEquals("images", Jbuild.subcommandOf(new String[] {"--debug", "images"}));
    assertEquals("images", Jbuild.subcommandOf(new String[] {"image-list"}));
    assertNull(Jbuild.subcommandOf(new String[] {"--help"}));
    assertNull(Jbuild.subcommandOf(new String[] {}));
    assertArrayEquals(new String[] {"--debug", "build", "-f", "Buildfile", "."},
        Jbuild.withDefaultSubcommand(new String[] {"--debug", "-f", "Buildfile", "."}));
    assertArrayEquals(new String[] {"image-list"}, Jbuild.withDefaultSubcommand(new String[] {"image-list"}));
    assertArrayEquals(new String[] {"-h"}, Jbuild.withDefaultSubcommand(new String[] {"-h"}));
  }

  @Test
  void helpStillListsEveryCommand(@TempDir Path root) {
    for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"-h"})) {
      Cli.Result r = new Cli(root).run(args);
      assertEquals(0, r.exitCode(), r.toString());
      for (String name : Jbuild.SUBCOMMANDS.keySet()) {
        if (!name.equals("aot-train")) {
          assertTrue(r.out().contains("  " + name + " ") || r.out().contains("  " + name + ","), name + " in\n" + r.out());
        }
      }
    }
    Cli.Result v = new Cli(root).run("--debug", "version");
    assertEquals(0, v.exitCode(), v.toString());
    assertTrue(v.out().startsWith("jbuild version "), v.out());
    Cli.Result bad = new Cli(root).run("run", "--no-such-flag", "x");
    assertTrue(bad.exitCode() != 0 && bad.err().contains("--no-such-flag"), bad.toString());
  }
}
