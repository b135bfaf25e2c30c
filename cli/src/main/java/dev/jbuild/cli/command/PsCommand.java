package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.net.PortMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbuild ps [-a] [-q]}: the containers, running ones unless {@code -a}. */
@Command(name = "ps", description = "List containers.")
public final class PsCommand extends ContainerCommand {
  @Option(names = {"-a", "--all"}, description = "Show all containers (default: running ones).")
  boolean all;

  @Option(names = {"-q", "--quiet"}, description = "Only show container ids.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Show full ids and commands.")
  boolean noTrunc;

  public PsCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    List<ContainerState> list = new ArrayList<>(rt.ps(all));
    // newest first, as docker lists them
    java.util.Collections.reverse(list);
    if (quiet) {
      list.forEach(s -> ctx.out().println(noTrunc ? s.id().hex() : s.id().shortId()));
      return 0;
    }
    Instant now = Instant.now();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"});
    for (ContainerState s : list) {
      String image = ContainerImage.read(rt.store().dir(s.id())).map(ContainerImage::name).orElse("");
      String cmd = s.spec() == null ? "" : String.join(" ", s.spec().args());
      if (!noTrunc && cmd.length() > 20) {
        cmd = cmd.substring(0, 19) + "…";
      }
      rows.add(new String[] {noTrunc ? s.id().hex() : s.id().shortId(), image, "\"" + cmd + "\"",
          Formats.ago(parse(s.created()), now), status(s, now), ports(s.ports()), s.name() == null ? "" : s.name()});
    }
    ctx.out().print(Formats.table(rows));
    return 0;
  }

  static String status(ContainerState s, Instant now) {
    return switch (s.status()) {
      case ContainerState.RUNNING -> "Up " + Formats.ago(parse(s.created()), now).replace(" ago", "");
      case ContainerState.EXITED -> "Exited (" + (s.exitCode() == null ? "?" : s.exitCode()) + ") "
          + Formats.ago(parse(s.finished()), now);
      default -> "Created";
    };
  }

  static String ports(List<PortMapping> ports) {
    return ports.stream().map(p -> (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort() + "->"
        + p.containerPort() + "/" + p.protocol()).collect(Collectors.joining(", "));
  }

  static Instant parse(String iso) {
    try {
      return iso == null ? null : Instant.parse(iso);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
