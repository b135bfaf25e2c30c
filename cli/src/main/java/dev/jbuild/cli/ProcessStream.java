package dev.jbuild.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * A writer on one of the process's own standard streams (stdout or stderr). Commands that hand their
 * output to a child process ({@code jbuild run}, {@code exec}) or stream bytes ({@code logs},
 * {@code export}) check for it: with it they pass the file descriptor itself or write raw bytes;
 * with any other writer (tests running jbuild in process) they relay text into the writer.
 */
public final class ProcessStream extends PrintWriter {
  private final PrintStream raw;

  public ProcessStream(PrintStream raw) {
    super(raw, true);
    this.raw = raw;
  }

  /** The underlying byte stream, for output that is not text. */
  public PrintStream raw() {
    return raw;
  }
}
