package dev.jbuild.runtime.oci;

import dev.jbuild.store.JbuildException;
import java.util.List;

/** The OCI runtime binary failed: its exit code and the last lines it logged as errors. */
public class RuntimeFailureException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final List<String> lastLines;

  public RuntimeFailureException(String containerId, String what, int exitCode, List<String> lastLines) {
    super(containerId, what + ": runtime exited with " + exitCode
        + (lastLines.isEmpty() ? "" : ": " + String.join("; ", lastLines)), null);
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
