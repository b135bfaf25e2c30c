package dev.jbuild.cli;

import dev.jbuild.cli.command.AotTrainCommand;
import dev.jbuild.cli.command.BuildCommand;
import dev.jbuild.cli.command.CommitCommand;
import dev.jbuild.cli.command.ExecCommand;
import dev.jbuild.cli.command.ExportCommand;
import dev.jbuild.cli.command.HistoryCommand;
import dev.jbuild.cli.command.ImagesCommand;
import dev.jbuild.cli.command.ImportCommand;
import dev.jbuild.cli.command.InspectCommand;
import dev.jbuild.cli.command.KillCommand;
import dev.jbuild.cli.command.LoadCommand;
import dev.jbuild.cli.command.LoginCommand;
import dev.jbuild.cli.command.LogoutCommand;
import dev.jbuild.cli.command.LogsCommand;
import dev.jbuild.cli.command.PruneCommand;
import dev.jbuild.cli.command.PsCommand;
import dev.jbuild.cli.command.PullCommand;
import dev.jbuild.cli.command.PushCommand;
import dev.jbuild.cli.command.RmCommand;
import dev.jbuild.cli.command.RmiCommand;
import dev.jbuild.cli.command.RunCommand;
import dev.jbuild.cli.command.SaveCommand;
import dev.jbuild.cli.command.StopCommand;
import dev.jbuild.cli.command.TagCommand;
import dev.jbuild.cli.command.VerifyCommand;
import dev.jbuild.cli.command.VersionCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The root command. {@link #commandLine} installs every handler, so tests run it in process. */
@Command(
    name = "jbuild",
    mixinStandardHelpOptions = false,
    description = "Build and run OCI container images, without a daemon.",
    subcommands = {
      ImportCommand.class,
      ImagesCommand.class,
      InspectCommand.class,
      HistoryCommand.class,
      TagCommand.class,
      RmiCommand.class,
      SaveCommand.class,
      LoadCommand.class,
      PruneCommand.class,
      VerifyCommand.class,
      VersionCommand.class,
      AotTrainCommand.class,
      PullCommand.class,
      PushCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      RunCommand.class,
      PsCommand.class,
      LogsCommand.class,
      StopCommand.class,
      KillCommand.class,
      RmCommand.class,
      ExecCommand.class,
      CommitCommand.class,
      ExportCommand.class,
      BuildCommand.class,
    })
public final class Jbuild implements Runnable {
  @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.", scope = CommandLine.ScopeType.INHERIT)
  boolean help;

  private final Context context;

  Jbuild(Context context) {
    this.context = context;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(context.out());
  }

  /** Everything a command needs from the process: streams and environment, never globals. */
  public record Context(PrintWriter out, PrintWriter err, Map<String, String> env) {}

  /**
   * Runs jbuild with docker's shorthand: arguments that do not start with a subcommand name
   * ({@code jbuild -f Buildfile .}) mean {@code jbuild build ...}.
   */
  public static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    CommandLine cl = commandLine(out, err, env);
    return cl.execute(withDefaultSubcommand(cl, args));
  }

  static String[] withDefaultSubcommand(CommandLine cl, String[] args) {
    int i = 0;
    while (i < args.length && args[i].equals("--debug")) {
      i++;
    }
    if (i == args.length || !cl.getSubcommands().containsKey("build")) {
      return args;
    }
    String first = args[i];
    if (cl.getSubcommands().containsKey(first) || first.equals("-h") || first.equals("--help")) {
      return args;
    }
    String[] out = new String[args.length + 1];
    System.arraycopy(args, 0, out, 0, i);
    out[i] = "build";
    System.arraycopy(args, i, out, i + 1, args.length - i);
    return out;
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    Context ctx = new Context(out, err, Map.copyOf(env));
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        try {
          return cls.getDeclaredConstructor(Context.class).newInstance(ctx);
        } catch (NoSuchMethodException e) {
          return CommandLine.defaultFactory().create(cls);
        }
      }
    };
    ErrorReporter reporter = new ErrorReporter(err);
    CommandLine cl = new CommandLine(new Jbuild(ctx), factory);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(reporter);
    cl.setParameterExceptionHandler(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // run IMAGE CMD... and exec CONTAINER CMD...: options after the first positional belong to CMD
    for (String positionalStops : java.util.List.of("run", "exec")) {
      cl.getSubcommands().get(positionalStops).setStopAtPositional(true);
    }
    return cl;
  }
}
