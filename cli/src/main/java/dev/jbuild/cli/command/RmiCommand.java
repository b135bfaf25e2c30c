package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.image.Images;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbuild rmi IMAGE...}: removes names, and images with no name left. */
@Command(name = "rmi", description = "Remove images (blobs are freed by prune).")
public final class RmiCommand extends StoreCommand {
  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  public RmiCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Images all = new Images(openStore());
    for (String name : images) {
      for (String line : all.remove(name)) {
        ctx.out().println(line);
      }
    }
    return 0;
  }
}
