package dev.jbuild.builder.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parser behaviour the upstream suite does not pin: positions, CRLF, directives, ONBUILD heredocs.
 */
class ParserTest {
  static ParseResult parse(String text) {
    return Parser.parse("Buildfile", text);
  }

  @Test
  void crlfAndBom() {
    ParseResult r = parse("\uFEFF# syntax=x/y\r\nFROM a\r\nRUN echo hi \\\r\n  there\r\n");
    assertEquals("(from \"a\")\n(run \"echo hi   there\")", AstDumper.dump(r.children()));
    assertEquals(Optional.of("x/y"), r.directives().syntax());
    assertEquals(new SourcePos(3, 1), r.children().get(1).range().start());
    assertEquals(new SourcePos(4, 7), r.children().get(1).range().end());
  }

  @Test
  void directivesOnlyAtTheTop() {
    ParseResult r = parse("# check=skip=all\n# escape=`\nFROM a\n# escape=\\\nRUN a `\n b\n");
    assertEquals('`', r.directives().escape());
    assertEquals(Optional.of("skip=all"), r.directives().check());
    assertEquals("run \"a  b\"", AstDumper.dump(r.children().get(1)));
  }

  @Test
  void columnsAndComments() {
    ParseResult r = parse("FROM a\n# first\n# second\n\t  RUN x\n");
    Node run = r.children().get(1);
    assertEquals(new SourcePos(4, 4), run.range().start());
    assertEquals(List.of("first", "second"), run.comments());
    assertEquals("\t  RUN x", run.sourceLine());
    assertEquals("Buildfile:4:8", run.rangeOf("x").toString());
  }

  @Test
  void heredocRangesAndOnbuild() {
    ParseResult r = parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nCOPY <<-A /x\n\tbody\n\tA\n");
    Node onbuild = r.children().get(1);
    assertEquals("(onbuild (run \"<<EOF\"))", "(" + AstDumper.dump(onbuild) + ")");
    assertEquals(List.of(new Heredoc("EOF", "echo hi\n", true, false, 0)), onbuild.heredocs());
    assertEquals(2, onbuild.range().start().line());
    assertEquals(4, onbuild.range().end().line());
    Node copy = r.children().get(2);
    assertEquals(7, copy.range().end().line());
    assertEquals("body\n", copy.heredocs().get(0).effectiveContent());
  }

  @Test
  void unterminatedHeredocPointsAtItsInstruction() {
    BuildfileException e =
        assertThrows(BuildfileException.class, () -> parse("FROM a\n  RUN <<EOF cat\nline\n"));
    assertEquals("Buildfile:2:3", e.range().orElseThrow().toString());
    assertEquals(
        "Buildfile:2:3: unterminated heredoc \"EOF\" (no line \"EOF\" before the end of the file)\n"
            + "  RUN <<EOF cat\n  ^",
        e.describe());
  }

  @Test
  void goQuoting() {
    assertEquals(
        "\"a\\x00\\x7f\\u0085\\u2028é♥\\\"\\\\\\t\"",
        GoText.quote("a\u0000\u007f\u0085\u2028é♥\"\\\t"));
    assertEquals("\"\\U000e0001\"", GoText.quote(new String(Character.toChars(0xE0001))));
  }

  @Test
  void flagsWithQuotesAndEscapes() {
    Node n =
        parse("COPY --chown=\"a b\" --x='c\\'' --y=d\\ e -- --notaflag /z\n").children().get(0);
    // inside either kind of quote a backslash escapes the next character (BuildKit's
    // extractBuilderFlags)
    assertEquals(List.of("--chown=a b", "--x=c'", "--y=d e"), n.flags());
    assertEquals(List.of("--notaflag", "/z"), n.args());
  }

  @Test
  void runawayOnbuildNestingIsAnErrorNotAStackOverflow() {
    BuildfileException e =
        assertThrows(BuildfileException.class, () -> parse("ONBUILD ".repeat(100_000) + "RUN x\n"));
    assertEquals("Buildfile:1:1", e.range().orElseThrow().toString());
    assertEquals(
        "(onbuild (onbuild (run \"x\")))",
        "(" + AstDumper.dump(parse("ONBUILD ONBUILD RUN x").children().get(0)) + ")");
  }
}
