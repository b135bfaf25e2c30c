package dev.jbuild.cli.command;

import dev.jbuild.builder.cache.BuildCache;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.gc.GarbageCollector;
import dev.jbuild.store.image.ImageSnapshots;
import dev.jbuild.store.snapshot.ChainId;
import java.util.HashSet;
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
    // the snapshots that remaining containers mount stay, even when their image is gone
    Set<ChainId> liveSnapshots = new HashSet<>();
    if (hasContainers(storeRoot())) {
      dev.jbuild.runtime.Runtime rt =
          new dev.jbuild.runtime.Runtime(dev.jbuild.runtime.RuntimeConfig.defaults(storeRoot().path(), ctx.env()));
      java.util.List<String> removed = new java.util.ArrayList<>();
      for (dev.jbuild.runtime.container.ContainerState s : rt.ps(true)) {
        if (dev.jbuild.runtime.container.ContainerState.EXITED.equals(s.status())) {
          rt.rm(s.id().hex(), false);
          removed.add(s.id().hex());
        } else {
          for (java.nio.file.Path lower : s.lowers()) {
            String name = lower.getFileName().toString();
            if (name.matches("[a-f0-9]{64}")) {
              liveSnapshots.add(ChainId.parse("sha256:" + name));
            }
          }
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
      // blobs the build cache would reuse stay, like images' blobs
      r = store.gc().collect(BuildCache.referencedBlobs(store.root().cache()));
      s = new ImageSnapshots(store).prune(liveSnapshots);
    }
    ctx.out().println("Deleted " + r.blobsRemoved() + " blobs, " + s.snapshots() + " snapshots, "
        + r.tempFilesRemoved() + " temp files");
    ctx.out().println("Total reclaimed space: " + Formats.size(r.bytesFreed() + s.bytes()));
    return 0;
  }
}
