package dev.jbuild.cli.command;

import dev.jbuild.cli.ExitCodes;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.verify.Verifier;
import picocli.CommandLine.Command;

/** {@code jbuild verify}: checks every blob and every image of the store; non-zero on any fault. */
@Command(name = "verify", description = "Check every blob's digest and every image's references.")
public final class VerifyCommand extends StoreCommand {
  public VerifyCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Verifier.Report r = new Verifier(openStore()).verify();
    for (Verifier.Fault f : r.faults()) {
      ctx.err().println("jbuild: verify: " + f);
    }
    ctx.err().flush();
    ctx.out().println(r.blobs() + " blobs, " + r.images() + " images checked: "
        + (r.ok() ? "ok" : r.faults().size() + " faults"));
    return r.ok() ? 0 : ExitCodes.JBUILD_ERROR;
  }
}
