package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.registry.ImagePuller;
import dev.jbuild.store.registry.Registries;
import dev.jbuild.store.registry.TransferListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild pull [--platform P] REF}: an image from a registry into the store; prints its id. */
@Command(name = "pull", description = "Pull an image from a registry (mirrors from the config file first).")
public final class PullCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
  String name;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pull from a multi-platform image (default linux/amd64).")
  String platform = "linux/amd64";

  @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
  boolean quiet;

  public PullCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** What the fast path takes: every option of this command and its mixins. */
  static final FastArgs.Grammar FAST = new FastArgs.Grammar(java.util.Set.of("-q", "--quiet"),
      java.util.Set.of("--platform", "--insecure-registry", "--root"), java.util.Set.of("--tls-verify"), 1, 1);

  /**
   * jbuild pull without picocli (see {@link FastArgs}): {@code args[0]} is "pull". Empty for anything
   * picocli should see.
   */
  public static java.util.Optional<PullCommand> parseFast(Jbuild.Context ctx, String[] args) {
    return FastArgs.command(args, "pull", FAST, new PullCommand(ctx), c -> c::setFast, (c, pos) -> c.name = pos.get(0));
  }

  private boolean setFast(String name, String v) {
    switch (name) {
      case "-q", "--quiet" -> quiet = true;
      case "--platform" -> platform = v;
      case "--insecure-registry" -> registryOptions.insecureRegistries.add(v);
      case "--root" -> storeOptions.root = java.nio.file.Path.of(v);
      case "--tls-verify" -> {
        return FastArgs.tlsVerify(registryOptions, v);
      }
      default -> throw new IllegalStateException("[internal error] unknown pull option " + name);
    }
    return true;
  }

  @Override
  int run() throws Exception {
    ImageRef ref = ImageRef.parse(name);
    Platform p = Platform.parse(platform);
    if (!quiet) {
      ctx.err().println("Trying to pull " + ref + "...");
      ctx.err().flush();
    }
    Image img;
    try (Registries registries = registries(ref.registry())) {
      TransferListener progress = quiet ? TransferListener.NONE : new TransferLines(ctx.err(), TransferLines.stderrIsTerminal(ctx.env()));
      img = new ImagePuller(openStore(), registries).pull(ref, p, progress);
    }
    ctx.out().println(img.id());
    return 0;
  }
}
