package dev.jbuild.builder.parse;

/** A position in a Buildfile: 1-based line and 1-based column (in code points). */
public record SourcePos(int line, int column) {
  public SourcePos {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException(
          "[internal error] bad source position " + line + ":" + column);
    }
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
