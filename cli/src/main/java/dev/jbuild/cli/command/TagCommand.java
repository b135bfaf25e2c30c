package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.image.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbuild tag SOURCE TARGET}: another name for an image. */
@Command(name = "tag", description = "Give an image another name.")
public final class TagCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", paramLabel = "TARGET")
  String target;

  public TagCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Images.parseName(target);
    new Images(openStore()).tag(source, target);
    return 0;
  }
}
