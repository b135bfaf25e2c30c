package dev.jbuild.builder.parse;

import java.util.Objects;

/**
 * A span of a Buildfile, from the first character of an instruction to its last one; prints as
 * {@code file:line:col} of its start, the form every error message begins with.
 */
public record SourceRange(String file, SourcePos start, SourcePos end) {
  public SourceRange {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.line() < start.line()) {
      throw new IllegalArgumentException(
          "[internal error] range ends before it starts: " + start + "-" + end);
    }
  }

  /** A range covering one point. */
  public static SourceRange at(String file, int line, int column) {
    SourcePos p = new SourcePos(line, column);
    return new SourceRange(file, p, p);
  }

  /** The same range with another start column on the same start line (for errors inside a line). */
  public SourceRange withStartColumn(int column) {
    SourcePos s = new SourcePos(start.line(), column);
    SourcePos e = end.line() == start.line() && end.column() < column ? s : end;
    return new SourceRange(file, s, e);
  }

  @Override
  public String toString() {
    return file + ":" + start.line() + ":" + start.column();
  }
}
