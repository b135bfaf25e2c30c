package dev.jbuild.runtime.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A running foreground runtime invocation ({@code run} or {@code exec}). {@link #waitFor()} returns the
 * container process's exit status mapped as docker does: its own code, 126 when the command could not
 * be executed, 127 when it was not found, 128+n when signal n killed it.
 */
public interface RuntimeProcess {
  /** Waits for the process; throws {@link RuntimeFailureException} when the runtime itself failed. */
  int waitFor() throws IOException, InterruptedException;

  /** The runtime process (not the container's) pid. */
  long pid();

  boolean isAlive();

  /** The container's stdout with {@link Stdio.Pipe}, else an empty stream. */
  InputStream stdout();

  /** The container's stderr with {@link Stdio.Pipe}, else an empty stream. */
  InputStream stderr();

  /** The container's stdin with {@link Stdio.Pipe}, else a discarding stream. */
  OutputStream stdin();
}
