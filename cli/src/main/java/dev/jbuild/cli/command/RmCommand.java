package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.Runtime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild rm [-f] CONTAINER...}: removes stopped containers; {@code -f} kills running ones first. */
@Command(name = "rm", description = "Remove containers.")
public final class RmCommand extends ContainerCommand {
  @Parameters(arity = "1..*", paramLabel = "CONTAINER")
  List<String> containers;

  @Option(names = {"-f", "--force"}, description = "Kill and remove running containers.")
  boolean force;

  public RmCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    return Each.apply(ctx, containers, c -> rt.rm(c, force));
  }
}
