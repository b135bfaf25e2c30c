package dev.jbuild.store.image;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.layer.LayerApplier;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.snapshot.ChainId;
import dev.jbuild.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * The unpacked layers of an image: one snapshot directory per layer, keyed by chain id, each
 * extracted from its blob on first use (verified against the config's diffId, hostile entries
 * refused by the layer applier) and reused by every container and build after that. The result,
 * bottom layer first, is what an overlay mount takes as its lower dirs.
 */
public final class ImageSnapshots {
  private final Store store;
  private final SnapshotStore snapshots;

  public ImageSnapshots(Store store) throws IOException {
    this.store = store;
    this.snapshots = new SnapshotStore(store.root().path());
  }

  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** The snapshot dirs of every layer of the image, bottom first, extracting what is missing. */
  public List<Path> ensure(Image image) throws IOException {
    List<Digest> diffIds = image.config().rootfs().diffIds();
    List<Descriptor> layers = image.layers();
    if (diffIds.size() != layers.size()) {
      throw new JbuildException(image.manifestDigest().toString(),
          "image config lists " + diffIds.size() + " diff_ids for " + layers.size() + " layers", null);
    }
    List<ChainId> chain = ChainId.chain(diffIds);
    List<Path> dirs = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      ChainId id = chain.get(i);
      Descriptor layer = layers.get(i);
      Digest diffId = diffIds.get(i);
      if (!layer.mediaType().isLayer()) {
        throw new JbuildException(layer.digest().toString(), "unsupported layer media type \"" + layer.mediaType() + "\"", null);
      }
      Path dir = snapshots.find(id).orElse(null);
      if (dir == null) {
        dir = snapshots.create(id, empty -> {
          try (InputStream in = store.blobs().open(layer.digest())) {
            LayerApplier.apply(in, empty, LayerApplier.Options.defaults().expecting(diffId));
          } catch (JbuildException e) {
            throw new JbuildException(layer.digest().toString(), "unpacking layer: " + e.describe(), e);
          }
        });
      }
      dirs.add(dir);
    }
    return dirs;
  }

  /** What a snapshot prune removed. */
  public record Pruned(int snapshots, long bytes) {}

  /**
   * Removes every snapshot no listed image's layer chain (nor {@code alsoLive}: containers, build
   * cache) needs. Runs under the store's gc lock held exclusively by the caller, so no build or
   * import is between extracting a snapshot and naming its image.
   */
  public Pruned prune(Set<ChainId> alsoLive) throws IOException {
    Set<ChainId> live = new HashSet<>(alsoLive);
    for (Images.Listed l : new Images(store).list()) {
      live.addAll(ChainId.chain(l.image().config().rootfs().diffIds()));
    }
    int n = 0;
    long bytes = 0;
    for (ChainId id : snapshots.list()) {
      if (!live.contains(id)) {
        bytes += sizeOf(snapshots.path(id));
        if (snapshots.remove(id)) {
          n++;
        }
      }
    }
    return new Pruned(n, bytes);
  }

  private static long sizeOf(Path dir) throws IOException {
    long[] total = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        if (a.isRegularFile()) {
          total[0] += a.size();
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }
}
