package dev.jbuild.runtime.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OCI low-level runtime (runc, crun) driven through its command line.
 *
 * <p>Contract: {@code id}s are unique within the runtime's state root. {@link #delete} and {@link #kill}
 * of a container the runtime does not know are no-ops, so cleanup can be replayed. Failures of the
 * runtime binary raise {@link RuntimeFailureException}.
 */
public interface OciRuntime {
  /**
   * Creates, starts and supervises the container in the foreground ({@code runc run}); the runtime
   * deletes its state when the process ends.
   */
  RuntimeProcess run(String id, Path bundle, Stdio stdio) throws IOException;

  /**
   * Runs the container detached from this JVM: a small {@code sh} monitor in its own session runs the
   * foreground runtime with stdin from /dev/null and stdout/stderr appended to the given files, then
   * writes the exit status to {@code exitFile}. Returns once the container runs (or failed to start).
   *
   * @return the monitor's pid
   */
  long runDetached(String id, Path bundle, Path stdout, Path stderr, Path exitFile) throws IOException;

  /** Creates the container without starting its process ({@code runc create}). */
  void create(String id, Path bundle) throws IOException;

  /** Starts a created container's process ({@code runc start}). */
  void start(String id) throws IOException;

  /** Runs a further process in a running container ({@code runc exec}). */
  RuntimeProcess exec(String id, ExecSpec exec, Stdio stdio) throws IOException;

  /** The container's state, empty if the runtime does not know it. */
  Optional<RuntimeState> state(String id) throws IOException;

  List<RuntimeState> list() throws IOException;

  /** Sends {@code signal} ({@code TERM}, {@code SIGKILL}, {@code 9}) to the container's init, or all its processes. */
  void kill(String id, String signal, boolean all) throws IOException;

  /** Deletes the container; {@code force} kills a running one first. */
  void delete(String id, boolean force) throws IOException;

  /** The runtime's state root (for diagnostics and leak checks). */
  Path root();
}
