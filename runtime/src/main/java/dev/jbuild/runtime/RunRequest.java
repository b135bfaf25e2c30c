package dev.jbuild.runtime;

import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.store.JbuildException;
import java.nio.file.Path;
import java.util.List;

/**
 * A container to run: the lower directories of its rootfs (snapshot dirs, bottom layer first), the
 * spec, an optional name, whether to delete it when it ends ({@code --rm}), and how its stdio is
 * connected in the foreground (ignored for detached runs, whose output goes to the container's logs).
 */
public record RunRequest(List<Path> lowers, ContainerSpec spec, String name, boolean autoRemove, Stdio stdio) {
  public RunRequest {
    if (lowers == null || lowers.isEmpty()) {
      throw new JbuildException("a container needs at least one rootfs layer");
    }
    lowers = List.copyOf(lowers);
    checkName(name);
    stdio = stdio == null ? Stdio.inherit() : stdio;
  }

  /** Refuses a container name docker would refuse; null (no name) is fine. */
  public static void checkName(String name) {
    if (name != null && !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new JbuildException("invalid container name " + name + " (letters, digits, '_', '.', '-')");
    }
  }

  public static RunRequest of(List<Path> lowers, ContainerSpec spec) {
    return new RunRequest(lowers, spec, null, true, Stdio.inherit());
  }

  public RunRequest withName(String n) {
    return new RunRequest(lowers, spec, n, autoRemove, stdio);
  }

  public RunRequest withAutoRemove(boolean r) {
    return new RunRequest(lowers, spec, name, r, stdio);
  }

  public RunRequest withSpec(ContainerSpec s) {
    return new RunRequest(lowers, s, name, autoRemove, stdio);
  }

  public RunRequest withStdio(Stdio s) {
    return new RunRequest(lowers, spec, name, autoRemove, s);
  }
}
