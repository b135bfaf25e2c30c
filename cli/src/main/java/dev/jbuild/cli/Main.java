package dev.jbuild.cli;

import dev.jbuild.cli.command.BuildCommand;
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
    Jbuild.Context ctx = new Jbuild.Context(out, err, Map.copyOf(System.getenv()));
    Optional<RunCommand> run = RunCommand.parseFast(ctx, args);
    Optional<BuildCommand> build = run.isPresent() ? Optional.empty()
        : BuildCommand.parseFast(ctx, Jbuild.withDefaultSubcommand(args));
    int code = run.isPresent() ? runFast(run.get(), run.get().debug(), err)
        : build.isPresent() ? runFast(build.get(), false, err)
        : Jbuild.execute(out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * {@code jbuild run} or {@code build} without picocli (see {@link RunCommand#parseFast}, {@link
   * BuildCommand#parseFast}), errors reported as picocli's path does.
   */
  static int runFast(java.util.concurrent.Callable<Integer> command, boolean debug, PrintWriter err) {
    try {
      return command.call();
    } catch (Exception e) {
      err.println("jbuild: " + ErrorReporter.message(e));
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.JBUILD_ERROR;
    }
  }
}
