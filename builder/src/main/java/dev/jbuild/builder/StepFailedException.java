package dev.jbuild.builder;

import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.store.JbuildException;
import java.util.List;

/**
 * A build step that failed: placed at its instruction ({@code Buildfile:12:1}), with the exit code of a RUN
 * command (or -1 when nothing ran) and its last output lines.
 */
public final class StepFailedException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final transient List<String> lastLines;

  public StepFailedException(SourceRange at, String message, int exitCode, List<String> lastLines, Throwable cause) {
    super(at.toString(), message, cause);
    this.exitCode = exitCode;
    this.lastLines = List.copyOf(lastLines);
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> lastLines() {
    return lastLines;
  }
}
