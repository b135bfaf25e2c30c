package dev.jbuild.runtime.oci;

import java.nio.file.Path;

/** How a foreground container process's standard streams are connected. */
public sealed interface Stdio {
  /** The container shares the caller's stdin, stdout and stderr. */
  record Inherit() implements Stdio {}

  /** The caller talks to the container through the {@link Process} streams of the runtime. */
  record Pipe() implements Stdio {}

  /** Stdin from /dev/null; stdout and stderr appended to files. */
  record Files(Path stdout, Path stderr) implements Stdio {}

  /**
   * Like {@link Inherit}, but the runtime runs under util-linux {@code script}, so it gets a
   * pseudo-terminal as its stdio even when the caller has none (tests, pipes). With {@code
   * process.terminal} set, runc then makes the container's console and relays it. (runc's {@code
   * --console-socket} hands the pty master over SCM_RIGHTS, which the JDK's unix-domain sockets
   * cannot receive, so jbuild never uses it.)
   */
  record Terminal() implements Stdio {}

  static Stdio inherit() {
    return new Inherit();
  }

  static Stdio pipe() {
    return new Pipe();
  }
}
