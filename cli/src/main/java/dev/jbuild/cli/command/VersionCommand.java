package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jbuild version}: jbuild's version and the JVM it runs on. */
@Command(name = "version", description = "Show the jbuild version.")
public final class VersionCommand implements Callable<Integer> {
  private final Jbuild.Context ctx;

  public VersionCommand(Jbuild.Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    ctx.out().println("jbuild version " + (v == null ? "0.1.0-SNAPSHOT" : v));
    ctx.out().println("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
    ctx.out().println("os/arch linux/" + normalizeArch(System.getProperty("os.arch")));
    ctx.out().flush();
    return 0;
  }

  static String normalizeArch(String a) {
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> a;
    };
  }
}
