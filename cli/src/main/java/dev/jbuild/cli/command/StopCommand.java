package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.Runtime;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild stop [-t SECS] CONTAINER...}: the stop signal, then SIGKILL after the timeout. */
@Command(name = "stop", description = "Stop running containers.")
public final class StopCommand extends ContainerCommand {
  @Parameters(arity = "1..*", paramLabel = "CONTAINER")
  List<String> containers;

  @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before killing (default 10).")
  int seconds = 10;

  public StopCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    return Each.apply(ctx, containers, c -> rt.stop(c, Duration.ofSeconds(Math.max(0, seconds))));
  }
}
