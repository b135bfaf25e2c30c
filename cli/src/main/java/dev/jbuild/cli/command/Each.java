package dev.jbuild.cli.command;

import dev.jbuild.cli.ExitCodes;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.util.List;

/**
 * Applies an action to each container a command names, as docker does: each success prints the name
 * as given, each failure prints one error line and the others still run; any failure makes the exit
 * status 125.
 */
final class Each {
  interface Action {
    void apply(String container) throws IOException;
  }

  private Each() {}

  static int apply(Jbuild.Context ctx, List<String> containers, Action action) {
    int code = ExitCodes.OK;
    for (String c : containers) {
      try {
        action.apply(c);
        ctx.out().println(c);
      } catch (JbuildException e) {
        ctx.err().println("jbuild: " + e.describe());
        code = ExitCodes.JBUILD_ERROR;
      } catch (IOException | RuntimeException e) {
        ctx.err().println("jbuild: " + c + ": " + e.getMessage());
        code = ExitCodes.JBUILD_ERROR;
      }
    }
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }
}
