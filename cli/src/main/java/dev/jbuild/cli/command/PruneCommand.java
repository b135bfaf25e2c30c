package dev.jbuild.cli.command;

import dev.jbuild.builder.cache.BuildCache;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.gc.GarbageCollector;
import picocli.CommandLine.Command;

/** {@code jbuild prune}: deletes blobs and snapshots no image needs; prints the space freed. */
@Command(name = "prune", description = "Remove unreferenced blobs and snapshots.")
public final class PruneCommand extends StoreCommand {
  public PruneCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Store store = openStore();
    GarbageCollector.Result r;
    try (AutoCloseable exclusive = store.gcLock().exclusive()) {
      // blobs the build cache would reuse stay, like images' blobs
      r = store.gc().collect(BuildCache.referencedBlobs(store.root().cache()));
    }
    ctx.out().println("Deleted " + r.blobsRemoved() + " blobs, " + r.tempFilesRemoved() + " temp files");
    ctx.out().println("Total reclaimed space: " + Formats.size(r.bytesFreed()));
    return 0;
  }
}
