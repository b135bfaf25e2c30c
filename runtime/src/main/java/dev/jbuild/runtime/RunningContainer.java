package dev.jbuild.runtime;

import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.container.ResourceLedger;
import dev.jbuild.runtime.oci.RuntimeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A container running in the foreground of this JVM. {@link #close()} stops it if it still runs,
 * releases its resources and honours {@code --rm}; a JVM shutdown hook does the same on Ctrl-C.
 */
public final class RunningContainer implements AutoCloseable {
  private final Runtime runtime;
  private final ContainerId id;
  private final RuntimeProcess process;
  private final String stopSignal;
  private final ResourceLedger ledger;
  private final Thread hook;
  private final long started = System.nanoTime();
  private Integer exitCode;
  private boolean closed;

  RunningContainer(Runtime runtime, ContainerId id, RuntimeProcess process, String stopSignal, ResourceLedger ledger) {
    this.runtime = runtime;
    this.id = id;
    this.process = process;
    this.stopSignal = stopSignal;
    this.ledger = ledger;
    this.hook = new Thread(this::onShutdown, "jbuild-stop-" + id.shortId());
    java.lang.Runtime.getRuntime().addShutdownHook(hook);
  }

  public ContainerId id() {
    return id;
  }

  public InputStream stdout() {
    return process.stdout();
  }

  public InputStream stderr() {
    return process.stderr();
  }

  public OutputStream stdin() {
    return process.stdin();
  }

  /** Waits for the container; its exit status (126/127 when the command could not run, 128+n on signal n). */
  public int waitFor() throws IOException, InterruptedException {
    int code = process.waitFor();
    runtime.lap("runtime-run", started);
    synchronized (this) {
      exitCode = code;
    }
    return code;
  }

  /** Stops the container if needed and releases everything. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      java.lang.Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it finds the container closed
    }
    release();
  }

  private void release() throws IOException {
    if (process.isAlive()) {
      runtime.stopProcess(id, stopSignal, runtime.config().stopTimeout());
      // runc deletes its own state once the container is gone; let it finish before the ledger does.
      for (int i = 0; i < 500 && process.isAlive(); i++) {
        Runtime.pause(10);
      }
    }
    runtime.finish(id, ledger, exitCode);
  }

  private void onShutdown() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      release();
    } catch (IOException | RuntimeException e) {
      System.err.println("jbuild: cleaning up container " + id.shortId() + ": " + e.getMessage());
    }
  }
}
