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
  void patternClassesAndSuffixReversal() {
    ShellLex lex = new ShellLex('\\');
    Env v = Env.of(Map.of("V", "v1.2.3-rc1", "B", "a]b[c"));
    assertEquals(".2.3-rc1", lex.processWord("${V#v[0-9]}", v));
    assertEquals("v1.2.3-rc1", lex.processWord("${V#[!v]}", v));
    assertEquals("1.2.3-rc1", lex.processWord("${V#[[:alpha:]]}", v));
    assertEquals("v1.2.3-rc", lex.processWord("${V%[[:digit:]]}", v));
    // The class is reversed as one token: "[a-z][0-9]" stays a letter followed by a digit.
    assertEquals("v1.2.3-r", lex.processWord("${V%[a-z][0-9]}", v));
    assertEquals("v1.2.3", lex.processWord("${V%%-[r]*}", v));
    assertEquals("vX.X.X-rcX", lex.processWord("${V//[0-9]/X}", v));
    // A leading ']' is a member; a '[' never closed is literal; escaped brackets are literal.
    assertEquals("b[c", lex.processWord("${B#?[]x]}", v));
    assertEquals("c", lex.processWord("${B#*[}", v));
    assertEquals("a]b", lex.processWord("${B%\\[*}", v));
    // Reversed ranges match nothing.
    assertEquals("v1.2.3-rc1", lex.processWord("${V#[z-a]}", v));
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
