package dev.jbuild.cli;

import dev.jbuild.cli.command.RunCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/** The entry point: builds the command line from the process environment and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new ProcessStream(System.out);
    PrintWriter err = new ProcessStream(System.err);
    Optional<RunCommand> fast = RunCommand.parseFast(new Jbuild.Context(out, err, Map.copyOf(System.getenv())), args);
    int code = fast.isPresent() ? runFast(fast.get(), err) : Jbuild.execute(out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** {@code jbuild run} without picocli (see {@link RunCommand#parseFast}), errors reported as picocli's path does. */
  static int runFast(RunCommand run, PrintWriter err) {
    try {
      return run.call();
    } catch (Exception e) {
      err.println("jbuild: " + ErrorReporter.message(e));
      if (run.debug()) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.JBUILD_ERROR;
    }
  }
}
