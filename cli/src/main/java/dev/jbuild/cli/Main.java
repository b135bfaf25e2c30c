package dev.jbuild.cli;

import dev.jbuild.cli.command.AotTrainCommand;
import dev.jbuild.cli.command.BuildCommand;
import dev.jbuild.cli.command.PullCommand;
import dev.jbuild.cli.command.PushCommand;
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
    Optional<? extends java.util.concurrent.Callable<Integer>> fast = run.isPresent() ? Optional.empty()
        : fastPath(ctx, args);
    int code = run.isPresent() ? runFast(run.get(), run.get().debug(), err)
        : fast.isPresent() ? runFast(fast.get(), false, err)
        : Jbuild.execute(out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** build, push, pull or the launcher's {@code aot-train run DIR} parsed without picocli; empty when picocli should parse the command line. */
  static Optional<? extends java.util.concurrent.Callable<Integer>> fastPath(Jbuild.Context ctx, String[] args) {
    if (args.length > 0 && args[0].equals("push")) {
      return PushCommand.parseFast(ctx, args);
    }
    if (args.length > 0 && args[0].equals("pull")) {
      return PullCommand.parseFast(ctx, args);
    }
    if (args.length > 0 && args[0].equals("aot-train")) {
      return AotTrainCommand.parseFast(ctx, args);
    }
    return BuildCommand.parseFast(ctx, Jbuild.withDefaultSubcommand(args));
  }

  /**
   * {@code jbuild run}, {@code build}, {@code push} or {@code pull} without picocli (see {@link RunCommand#parseFast}, {@link
   * BuildCommand#parseFast}, {@code FastArgs}), errors reported as picocli's path does.
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
