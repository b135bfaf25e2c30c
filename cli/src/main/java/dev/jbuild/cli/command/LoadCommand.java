package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.archive.ArchiveLoader;
import dev.jbuild.store.archive.LoadResult;
import dev.jbuild.store.archive.LoadedImage;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jbuild load [-i FILE]}: images from an oci-archive, an OCI layout directory or a docker
 * archive (each possibly gzip- or zstd-compressed), read from FILE or stdin. Prints {@code Loaded
 * image: name:tag} per name, as docker does.
 */
@Command(name = "load", description = "Load images from an archive (OCI layout or docker save format).")
public final class LoadCommand extends StoreCommand {
  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from this file or OCI layout directory instead of stdin.")
  Path input;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;

  public LoadCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Store store = openStore();
    ArchiveLoader loader = new ArchiveLoader(store);
    LoadResult result;
    // blobs are unreferenced until the images are tagged at the end: keep prune away meanwhile
    try (AutoCloseable ingest = store.gcLock().shared()) {
      if (input == null || input.toString().equals("-")) {
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        result = loader.load(in);
      } else {
        if (!Files.exists(input)) {
          throw new NoSuchFileException(input.toString());
        }
        result = loader.load(input);
      }
    }
    for (String note : result.notes()) {
      ctx.err().println("jbuild: note: " + note);
    }
    ctx.err().flush();
    if (!quiet) {
      for (LoadedImage i : result.images()) {
        i.describe().forEach(ctx.out()::println);
      }
    }
    return 0;
  }
}
