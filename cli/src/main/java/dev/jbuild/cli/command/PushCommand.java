package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import dev.jbuild.store.registry.ImagePusher;
import dev.jbuild.store.registry.Registries;
import dev.jbuild.store.registry.TransferListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild push IMAGE [DEST]}: an image of the store to a registry; prints the manifest digest. */
@Command(name = "push", description = "Push an image to a registry (to its own name unless DEST is given).")
public final class PushCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DEST")
  String dest;

  @Option(names = {"-q", "--quiet"}, description = "Print only the pushed digest.")
  boolean quiet;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Also write the pushed manifest digest to FILE.")
  java.nio.file.Path digestFile;

  public PushCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** What the fast path takes: every option of this command and its mixins. */
  static final FastArgs.Grammar FAST = new FastArgs.Grammar(java.util.Set.of("-q", "--quiet"),
      java.util.Set.of("--digestfile", "--insecure-registry", "--root"), java.util.Set.of("--tls-verify"), 1, 2);

  /**
   * jbuild push without picocli (see {@link FastArgs}): {@code args[0]} is "push". Empty for anything
   * picocli should see.
   */
  public static java.util.Optional<PushCommand> parseFast(Jbuild.Context ctx, String[] args) {
    return FastArgs.command(args, "push", FAST, new PushCommand(ctx), c -> c::setFast, (c, pos) -> {
      c.image = pos.get(0);
      c.dest = pos.size() > 1 ? pos.get(1) : null;
    });
  }

  private boolean setFast(String name, String v) {
    switch (name) {
      case "-q", "--quiet" -> quiet = true;
      case "--digestfile" -> digestFile = java.nio.file.Path.of(v);
      case "--insecure-registry" -> registryOptions.insecureRegistries.add(v);
      case "--root" -> storeOptions.root = java.nio.file.Path.of(v);
      case "--tls-verify" -> {
        return FastArgs.tlsVerify(registryOptions, v);
      }
      default -> throw new IllegalStateException("[internal error] unknown push option " + name);
    }
    return true;
  }

  @Override
  int run() throws Exception {
    Store store = openStore();
    ImageRef target = target(store);
    Image img = new Images(store).resolve(image);
    Digest pushed;
    try (Registries registries = registries(target.registry())) {
      TransferListener progress = quiet ? TransferListener.NONE : new TransferLines(ctx.err(), TransferLines.stderrIsTerminal(ctx.env()));
      pushed = new ImagePusher(store, registries).push(img, target, progress);
    }
    if (digestFile != null) {
      java.nio.file.Files.writeString(digestFile, pushed.toString());
    }
    ctx.out().println(pushed);
    return 0;
  }

  /**
   * DEST, else IMAGE's own name, which must then be a tag of the store: an id prefix such as {@code
   * d309d1d89d24} is also a valid repository name and must not be pushed to docker.io as one.
   */
  private ImageRef target(Store store) throws java.io.IOException {
    if (dest != null) {
      return ImageRef.parse(dest);
    }
    try {
      ImageRef own = ImageRef.parse(image);
      if (own.digest().isEmpty() && store.layout().resolve(own).isPresent()) {
        return own;
      }
    } catch (InvalidRefException e) {
      // not a name: an id or digest, with no name to push to
    }
    throw new IllegalArgumentException("push " + image + ": no image is tagged " + image + "; give a destination");
  }
}
