package dev.jbuild.builder.parse;

import java.util.List;
import java.util.Objects;

/**
 * What the parser made of a Buildfile: the instructions in source order, the warnings it raised,
 * the parser directives, the file name used in ranges, and the physical source lines (without
 * newlines) for printing errors found later.
 */
public record ParseResult(
    String fileName,
    List<Node> children,
    List<Warning> warnings,
    Directives directives,
    List<String> lines) {
  public ParseResult {
    Objects.requireNonNull(fileName, "fileName");
    children = List.copyOf(children);
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(directives, "directives");
    lines = List.copyOf(lines);
  }

  /** The physical line {@code line} (1-based), or the empty string past the end. */
  public String line(int line) {
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
