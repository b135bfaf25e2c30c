package dev.jbuild.runtime;

import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A foreground {@code run} in its own JVM, for the test that kills it with SIGKILL: args are the store
 * root and the lower dir; it prints {@code started <id>} once the container runs, then waits. With a
 * third argument {@code reserve} it only reserves a bridged container (as {@code jbuild run} does
 * while it reads the image), prints {@code reserved <id>} once its netns is mounted, and waits.
 */
public final class ForegroundRunMain {
  private ForegroundRunMain() {}

  public static void main(String[] args) throws Exception {
    Runtime rt = new Runtime(RuntimeConfig.defaults(Path.of(args[0]), Map.of()));
    if (args.length > 2 && args[2].equals("reserve")) {
      Runtime.Reservation r = rt.reserve(null, ContainerSpec.of("true"), true, false);
      Path ns = RuntimeConfig.defaults(Path.of(args[0]), Map.of()).netnsDir().resolve(r.id().hex());
      for (int i = 0; i < 500 && !dev.jbuild.runtime.net.NetNs.isNamespace(ns); i++) {
        Thread.sleep(10);
      }
      System.out.println("reserved " + r.id());
      System.out.flush();
      Thread.sleep(600_000);
      return;
    }
    RunRequest req = RunRequest.of(List.of(Path.of(args[1])), ContainerSpec.of("sleep", "1000"))
        .withStdio(new Stdio.Files(Path.of("/dev/null"), Path.of("/dev/null")));
    try (RunningContainer c = rt.open(req)) {
      System.out.println("started " + c.id());
      System.out.flush();
      System.exit(c.waitFor());
    }
  }
}
