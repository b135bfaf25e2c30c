package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.gc.GarbageCollector;
import dev.jbuild.store.image.ImageSnapshots;
import java.util.Set;
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
    ImageSnapshots.Pruned s;
    try (AutoCloseable exclusive = store.gcLock().exclusive()) {
      r = store.gc().collect(Set.of());
      s = new ImageSnapshots(store).prune(Set.of());
    }
    ctx.out().println("Deleted " + r.blobsRemoved() + " blobs, " + s.snapshots() + " snapshots, "
        + r.tempFilesRemoved() + " temp files");
    ctx.out().println("Total reclaimed space: " + Formats.size(r.bytesFreed() + s.bytes()));
    return 0;
  }
}
