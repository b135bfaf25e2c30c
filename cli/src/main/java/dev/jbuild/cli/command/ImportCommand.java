package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.image.RootfsImporter;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild import ROOTFS NAME[:TAG]}: a one-layer image from a rootfs tarball or directory. */
@Command(name = "import", description = "Create an image from a root filesystem tarball (or directory).")
public final class ImportCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "ROOTFS", description = "A tar, tar.gz or tar.zst file, or a directory.")
  Path source;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME[:TAG]")
  String name;

  @Option(names = "--compression", paramLabel = "gzip|zstd", description = "Layer compression (default gzip).")
  String compression = "gzip";

  public ImportCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    ImageRef ref = name == null ? null : Images.parseName(name);
    if (!Files.exists(source)) {
      throw new java.nio.file.NoSuchFileException(source.toString());
    }
    Compression c = switch (compression) {
      case "gzip" -> Compression.GZIP;
      case "zstd" -> Compression.ZSTD;
      default -> throw new IllegalArgumentException("unknown --compression \"" + compression + "\": want gzip or zstd");
    };
    Store store = openStore();
    Instant created = SourceDate.created(ctx.env());
    LayerOptions opts = LayerOptions.defaults().withCompression(c);
    if (SourceDate.epoch(ctx.env()).isPresent()) {
      opts = opts.withSourceDateEpoch(SourceDate.epoch(ctx.env()).get());
    }
    Descriptor d;
    try (AutoCloseable ingest = store.gcLock().shared()) {
      d = new RootfsImporter(store, opts, created).importPath(source, ContainerConfig.EMPTY);
      if (ref != null) {
        store.layout().tag(ref, d);
      } else {
        store.layout().add(d);
      }
    }
    ctx.out().println(new Images(store).read(d).id());
    return 0;
  }
}
