package dev.jbuild.runtime;

import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.oci.RuntimeState;
import java.nio.file.Path;
import java.util.Optional;

/** What {@code inspect} shows: the stored state, the OCI runtime's view while it runs, and the container's files. */
public record ContainerInfo(ContainerState state, Optional<RuntimeState> runtime, Path dir) {
  /** The container's init pid on the host while it runs. */
  public Optional<Long> pid() {
    return runtime.filter(RuntimeState::isRunning).map(RuntimeState::pid);
  }

  public Path stdoutLog() {
    return dir.resolve("stdout.log");
  }

  public Path stderrLog() {
    return dir.resolve("stderr.log");
  }
}
