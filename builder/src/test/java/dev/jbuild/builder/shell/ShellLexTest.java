package dev.jbuild.builder.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jbuild's own cases beyond the upstream tables: the backtick escape and error texts. */
class ShellLexTest {
  private final Env env = Env.of(Map.of("A", "x y", "P", "/a/b.tar.gz"));

  @Test
  void backtickEscapeReplacesBackslash() {
    ShellLex lex = new ShellLex('`');
    assertEquals("C:\\dir $A", lex.processWord("C:\\dir `$A", env));
    assertEquals("a\"b", lex.processWord("\"a`\"b\"", env));
    assertEquals(List.of("a b", "c"), lex.processWords("a` b c", env));
  }

  @Test
  void unquotedExpansionSplitsButQuotedDoesNot() {
    ShellLex lex = new ShellLex('\\');
    assertEquals(List.of("x", "y", "x y"), lex.processWords("$A \"$A\"", env));
    assertEquals("x y x y", lex.processWord("$A \"$A\"", env));
  }

  @Test
  void patternOperators() {
    ShellLex lex = new ShellLex('\\');
    assertEquals("b.tar.gz", lex.processWord("${P##*/}", env));
    assertEquals("/a/b.tar", lex.processWord("${P%.*}", env));
    assertEquals("/a/b", lex.processWord("${P%%.*}", env));
    assertEquals("/a/b.tar.xz", lex.processWord("${P/gz/xz}", env));
  }

  @Test
  void errorsNameTheWord() {
    ShellLex lex = new ShellLex('\\');
    ShellSyntaxException e = assertThrows(ShellSyntaxException.class, () -> lex.processWord("a${B", env));
    assertTrue(e.getMessage().startsWith("failed to process \"a${B\": "), e.getMessage());
    assertTrue(e.getMessage().contains("missing '}'"), e.getMessage());
    e = assertThrows(ShellSyntaxException.class, () -> lex.processWord("${B:?}", env));
    assertTrue(e.getMessage().contains("B: is not allowed to be unset"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ShellLex('x'));
  }
}
