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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The root command. {@link #commandLine} installs every handler, so tests run it in process. */
@Command(
    name = "jbuild",
    mixinStandardHelpOptions = false,
    description = "Build and run OCI container images, without a daemon.")
// the subcommands are added by commandLine(), all of them or only the one a command line names
public final class Jbuild implements Runnable {
  @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.", scope = CommandLine.ScopeType.INHERIT)
  boolean help;

  /**
   * Every subcommand by name, in the order help lists them. picocli builds the model of each command
   * it is given (options, types, help texts): one command line needs only its own.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = orderedMap(
      Map.entry("import", ImportCommand.class),
      Map.entry("images", ImagesCommand.class),
      Map.entry("inspect", InspectCommand.class),
      Map.entry("history", HistoryCommand.class),
      Map.entry("tag", TagCommand.class),
      Map.entry("rmi", RmiCommand.class),
      Map.entry("save", SaveCommand.class),
      Map.entry("load", LoadCommand.class),
      Map.entry("prune", PruneCommand.class),
      Map.entry("verify", VerifyCommand.class),
      Map.entry("version", VersionCommand.class),
      Map.entry("aot-train", AotTrainCommand.class),
      Map.entry("pull", PullCommand.class),
      Map.entry("push", PushCommand.class),
      Map.entry("login", LoginCommand.class),
      Map.entry("logout", LogoutCommand.class),
      Map.entry("run", RunCommand.class),
      Map.entry("ps", PsCommand.class),
      Map.entry("logs", LogsCommand.class),
      Map.entry("stop", StopCommand.class),
      Map.entry("kill", KillCommand.class),
      Map.entry("rm", RmCommand.class),
      Map.entry("exec", ExecCommand.class),
      Map.entry("commit", CommitCommand.class),
      Map.entry("export", ExportCommand.class),
      Map.entry("build", BuildCommand.class));

  /** The other names of subcommands (picocli registers them from each command's annotation). */
  static final Map<String, String> ALIASES = Map.of("image-list", "images");

  private final Context context;

  Jbuild(Context context) {
    this.context = context;
  }

  @Override
  public void run() {
    commandLine(context.out(), context.err(), context.env()).usage(context.out());
  }

  /** Everything a command needs from the process: streams and environment, never globals. */
  public record Context(PrintWriter out, PrintWriter err, Map<String, String> env) {}

  /**
   * Runs jbuild with docker's shorthand: arguments that do not start with a subcommand name
   * ({@code jbuild -f Buildfile .}) mean {@code jbuild build ...}.
   */
  public static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    String[] full = withDefaultSubcommand(args);
    String only = subcommandOf(full);
    CommandLine cl = only == null ? commandLine(out, err, env) : commandLine(out, err, env, List.of(only));
    return cl.execute(full);
  }

  /** The subcommand a command line names after the leading {@code --debug}s; null for none (help, no arguments). */
  static String subcommandOf(String[] args) {
    int i = 0;
    while (i < args.length && args[i].equals("--debug")) {
      i++;
    }
    if (i == args.length) {
      return null;
    }
    return SUBCOMMANDS.containsKey(args[i]) ? args[i] : ALIASES.get(args[i]);
  }

  static String[] withDefaultSubcommand(String[] args) {
    int i = 0;
    while (i < args.length && args[i].equals("--debug")) {
      i++;
    }
    if (i == args.length) {
      return args;
    }
    String first = args[i];
    if (SUBCOMMANDS.containsKey(first) || ALIASES.containsKey(first) || first.equals("-h") || first.equals("--help")) {
      return args;
    }
    String[] out = new String[args.length + 1];
    System.arraycopy(args, 0, out, 0, i);
    out[i] = "build";
    System.arraycopy(args, i, out, i + 1, args.length - i);
    return out;
  }

  /** The command line with every subcommand. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    return commandLine(out, err, env, List.copyOf(SUBCOMMANDS.keySet()));
  }

  /** The command line with only the named subcommands (each name a key of {@link #SUBCOMMANDS}). */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, List<String> names) {
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
    for (String name : names) {
      try {
        cl.addSubcommand(name, new CommandLine(factory.create(SUBCOMMANDS.get(name)), factory));
      } catch (Exception e) {
        throw new IllegalStateException("[internal error] creating the " + name + " command", e);
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(reporter);
    cl.setParameterExceptionHandler(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // run IMAGE CMD... and exec CONTAINER CMD...: options after the first positional belong to CMD
    for (String positionalStops : List.of("run", "exec")) {
      if (cl.getSubcommands().containsKey(positionalStops)) {
        cl.getSubcommands().get(positionalStops).setStopAtPositional(true);
      }
    }
    return cl;
  }

  @SafeVarargs
  private static Map<String, Class<?>> orderedMap(Map.Entry<String, Class<?>>... entries) {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    for (Map.Entry<String, Class<?>> e : entries) {
      m.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
