package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.gc.GarbageCollector;
import dev.jbuild.store.image.ImageSnapshots;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * {@code jbuild prune}: removes stopped containers, then deletes blobs and snapshots no image needs;
 * prints what went and the space freed.
 */
@Command(name = "prune", description = "Remove stopped containers and unreferenced blobs and snapshots.")
public final class PruneCommand extends StoreCommand {
  public PruneCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    if (hasContainers(storeRoot())) {
      dev.jbuild.runtime.Runtime rt =
          new dev.jbuild.runtime.Runtime(dev.jbuild.runtime.RuntimeConfig.defaults(storeRoot().path(), ctx.env()));
      java.util.List<String> removed = new java.util.ArrayList<>();
      for (dev.jbuild.runtime.container.ContainerState s : rt.ps(true)) {
        if (dev.jbuild.runtime.container.ContainerState.EXITED.equals(s.status())) {
          rt.rm(s.id().hex(), false);
          removed.add(s.id().hex());
        }
      }
      if (!removed.isEmpty()) {
        ctx.out().println("Deleted Containers:");
        removed.forEach(ctx.out()::println);
        ctx.out().println();
      }
    }
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
