package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.ContainerInfo;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.container.ContainerState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild logs [-f] CONTAINER}: what a detached container wrote, stdout to stdout and stderr to
 * stderr; {@code -f} keeps following until the container exits.
 */
@Command(name = "logs", description = "Show the output of a detached container.")
public final class LogsCommand extends ContainerCommand {
  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Option(names = {"-f", "--follow"}, description = "Follow the output until the container exits.")
  boolean follow;

  public LogsCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    ContainerInfo info = rt.logs(container);
    long outPos = 0;
    long errPos = 0;
    while (true) {
      outPos = drain(info.stdoutLog(), outPos, ctx.out());
      errPos = drain(info.stderrLog(), errPos, ctx.err());
      if (!follow) {
        return 0;
      }
      ContainerState s = rt.store().read(info.state().id()).orElse(null);
      if (s == null || ContainerState.EXITED.equals(s.status())) {
        drain(info.stdoutLog(), outPos, ctx.out());
        drain(info.stderrLog(), errPos, ctx.err());
        return 0;
      }
      Thread.sleep(100);
      // a detached container's monitor ends with it; let the reaper record the exit
      if (s.monitorPid() != null && !ProcessHandle.of(s.monitorPid()).map(ProcessHandle::isAlive).orElse(false)) {
        rt.reap();
      }
    }
  }

  /** Writes what the file has beyond {@code from}; returns the new position. */
  private static long drain(Path f, long from, PrintWriter to) throws IOException {
    if (!Files.isRegularFile(f)) {
      return from;
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= from) {
        return from;
      }
      ch.position(from);
      // streamed to the end of what is there now; the channel's position says how far that was
      copy(Channels.newInputStream(ch), to);
      return ch.position();
    }
  }
}
