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
import java.util.ArrayList;
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
}
