package dev.jbuild.runtime;

import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A foreground {@code run} in its own JVM, for the test that kills it with SIGKILL: args are the store
 * root and the lower dir; it prints {@code started <id>} once the container runs, then waits.
 */
public final class ForegroundRunMain {
  private ForegroundRunMain() {}

  public static void main(String[] args) throws Exception {
    Runtime rt = new Runtime(RuntimeConfig.defaults(Path.of(args[0]), Map.of()));
    RunRequest req = RunRequest.of(List.of(Path.of(args[1])), ContainerSpec.of("sleep", "1000"))
        .withStdio(new Stdio.Files(Path.of("/dev/null"), Path.of("/dev/null")));
    try (RunningContainer c = rt.open(req)) {
      System.out.println("started " + c.id());
      System.out.flush();
      System.exit(c.waitFor());
    }
  }
}
