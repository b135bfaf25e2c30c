package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.ProcessStream;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A command that works on containers through the {@link Runtime} facade, which reaps dead containers
 * on each of its entry points (so this command does not reap twice).
 */
abstract class ContainerCommand extends StoreCommand {
  ContainerCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  void reapDeadContainers() {
    // the runtime facade reaps first on every call
  }

  Runtime openRuntime() throws IOException {
    return new Runtime(RuntimeConfig.defaults(storeRoot().path(), ctx.env()));
  }

  /** Whether this jbuild's stdout is the process's own, so a child process can share the descriptors. */
  boolean processStdio() {
    return ctx.out() instanceof ProcessStream && ctx.err() instanceof ProcessStream;
  }

  /** Whether the process's stdin is a terminal. */
  static boolean stdinIsTerminal() {
    try {
      String t = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Copies bytes to a writer: raw when it is the process's stream, else decoded as UTF-8 text. */
  static void copy(InputStream in, PrintWriter to) throws IOException {
    if (to instanceof ProcessStream ps) {
      to.flush();
      in.transferTo(ps.raw());
      ps.raw().flush();
      return;
    }
    Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
    char[] buf = new char[8192];
    int n;
    while ((n = r.read(buf)) > 0) {
      synchronized (to) {
        to.write(buf, 0, n);
        to.flush();
      }
    }
  }

  /** Starts a daemon thread relaying {@code in} to {@code to}; join it after the process ends. */
  static Thread relay(InputStream in, PrintWriter to, String name) {
    Thread t = new Thread(() -> {
      try (in) {
        copy(in, to);
      } catch (IOException e) {
        // the process went away; what it wrote is relayed
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
