package dev.jbuild.builder.parse;

import dev.jbuild.store.testing.DepCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The untyped AST stays in the parser and the instruction typer (STYLE.md 7.8): later stages see
 * typed instructions.
 */
class NodeStaysInsideTest {
  @Test
  void onlyParseAndInstructionUseNode() throws Exception {
    DepCheck.assertNoImports(
        DepCheck.mainSources(),
        List.of("dev.jbuild.builder.parse.Node;"),
        List.of("dev.jbuild.builder.parse", "dev.jbuild.builder.instruction"));
  }
}
