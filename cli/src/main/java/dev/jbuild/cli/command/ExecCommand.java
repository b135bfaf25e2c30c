package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.oci.ExecSpec;
import dev.jbuild.runtime.oci.RuntimeProcess;
import dev.jbuild.runtime.oci.Stdio;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild exec [-i] [-t] [-e K=V] [-u USER] [-w DIR] CONTAINER CMD...}: runs another process in
 * a running container and exits with its status.
 */
@Command(name = "exec", description = "Run a command in a running container.")
public final class ExecCommand extends ContainerCommand {
  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD")
  List<String> command;

  @Option(names = {"-i", "--interactive"})
  boolean interactive;

  @Option(names = {"-t", "--tty"})
  boolean tty;

  @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]")
  List<String> env = new ArrayList<>();

  @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]")
  String user;

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
  String workdir;

  public ExecCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    List<String> envEntries = new ArrayList<>();
    for (String e : env) {
      RunCommand.addEnv(envEntries, e, ctx.env(), "");
    }
    ExecSpec spec = new ExecSpec(command, envEntries, user, workdir, tty);
    Runtime rt = openRuntime();
    boolean relay = !processStdio();
    Stdio stdio;
    if (relay) {
      stdio = tty ? new Stdio.Terminal(Stdio.pipe()) : Stdio.pipe();
    } else if (tty) {
      stdio = stdinIsTerminal() ? Stdio.inherit() : new Stdio.Terminal(Stdio.inherit());
    } else {
      stdio = interactive ? Stdio.inherit() : new Stdio.NoInput();
    }
    ctx.out().flush();
    RuntimeProcess p = rt.exec(container, spec, stdio);
    if (!relay) {
      return p.waitFor();
    }
    p.stdin().close();
    Thread out = relay(p.stdout(), ctx.out(), "jbuild-exec-stdout");
    Thread err = relay(p.stderr(), ctx.err(), "jbuild-exec-stderr");
    int code = p.waitFor();
    out.join(5000);
    err.join(5000);
    return code;
  }
}
