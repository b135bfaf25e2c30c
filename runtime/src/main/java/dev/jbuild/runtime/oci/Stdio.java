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
   * A pseudo-terminal for callers whose own stdio is not one (tests, pipes): the runtime runs under
   * util-linux {@code script}, which gives it a pty, and {@code outer} ({@link Inherit} or {@link
   * Pipe}) connects script to the caller. With {@code process.terminal} set, runc then makes the
   * container's console and relays it. A caller on a real terminal needs no wrapper: runc's
   * foreground {@code run}/{@code exec} relay the caller's own terminal. (runc's {@code
   * --console-socket} hands the pty master over SCM_RIGHTS, which the JDK's unix-domain sockets
   * cannot receive, so jbuild never uses it.)
   */
  record Terminal(Stdio outer) implements Stdio {
    public Terminal {
      if (!(outer instanceof Inherit) && !(outer instanceof Pipe)) {
        throw new IllegalArgumentException("a terminal is relayed to inherited or piped stdio");
      }
    }
  }

  static Stdio inherit() {
    return new Inherit();
  }

  static Stdio pipe() {
    return new Pipe();
  }
}
