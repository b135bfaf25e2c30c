package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.Runtime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild kill [-s SIGNAL] CONTAINER...}: sends a signal (SIGKILL by default) to each container. */
@Command(name = "kill", description = "Send a signal to running containers.")
public final class KillCommand extends ContainerCommand {
  @Parameters(arity = "1..*", paramLabel = "CONTAINER")
  List<String> containers;

  @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Signal name or number (default SIGKILL).")
  String signal = "SIGKILL";

  public KillCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    return Each.apply(ctx, containers, c -> rt.kill(c, signal));
  }
}
