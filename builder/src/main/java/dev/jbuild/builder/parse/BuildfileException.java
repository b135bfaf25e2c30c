package dev.jbuild.builder.parse;

import dev.jbuild.store.JbuildException;
import java.util.Optional;

/**
 * A mistake in a Buildfile, with the place it was found: {@code describe()} gives {@code
 * Buildfile:12:5: message}, then the offending source line and a caret under the column.
 *
 * <p>Code that knows the instruction but not the exact column throws it without a range; {@code
 * InstructionParser} adds the instruction's range once, at the boundary ({@link #located}).
 */
public class BuildfileException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final transient SourceRange range;
  private final String sourceLine;

  /** An error whose place is not known yet. */
  public BuildfileException(String message) {
    this(message, null, null, null);
  }

  public BuildfileException(String message, Throwable cause) {
    this(message, null, null, cause);
  }

  /**
   * An error at {@code range}; {@code sourceLine} is the text of the range's start line (without
   * its newline) or null when unknown.
   */
  public BuildfileException(String message, SourceRange range, String sourceLine, Throwable cause) {
    super(range == null ? null : range.toString(), message, cause);
    this.range = range;
    this.sourceLine = sourceLine;
  }

  /** Where the error is, if known. */
  public Optional<SourceRange> range() {
    return Optional.ofNullable(range);
  }

  /** The source line the range starts on, if known. */
  public Optional<String> sourceLine() {
    return Optional.ofNullable(sourceLine);
  }

  /**
   * This error if it already has a range, else a copy placed at {@code where} (whose start line is
   * {@code line}); the copy keeps this error's cause and has this error as a suppressed detail only
   * through its message, so the chain stays short.
   */
  public BuildfileException located(SourceRange where, String line) {
    if (range != null || where == null) {
      return this;
    }
    BuildfileException e = new BuildfileException(getMessage(), where, line, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  @Override
  public String describe() {
    if (range == null) {
      return getMessage();
    }
    StringBuilder sb = new StringBuilder(range.toString()).append(": ").append(getMessage());
    if (sourceLine != null) {
      sb.append('\n')
          .append(sourceLine)
          .append('\n')
          .append(caret(sourceLine, range.start().column()));
    }
    return sb.toString();
  }

  /**
   * A line with {@code ^} under the given 1-based code-point column; tabs of the source line are
   * copied so the caret lines up whatever the terminal's tab width.
   */
  public static String caret(String line, int column) {
    StringBuilder sb = new StringBuilder();
    int[] cps = line.codePoints().toArray();
    for (int i = 0; i < column - 1; i++) {
      sb.append(i < cps.length && cps[i] == '\t' ? '\t' : ' ');
    }
    return sb.append('^').toString();
  }
}
