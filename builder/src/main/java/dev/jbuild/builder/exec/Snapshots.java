package dev.jbuild.builder.exec;

import dev.jbuild.store.blob.BlobStore;
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

/** The snapshot dirs of a layer chain, extracted from their blobs on demand (once; later steps reuse them). */
public final class Snapshots {
  private final BlobStore blobs;
  private final SnapshotStore snapshots;

  public Snapshots(BlobStore blobs, SnapshotStore snapshots) {
    this.blobs = blobs;
    this.snapshots = snapshots;
  }

  public SnapshotStore store() {
    return snapshots;
  }

  /** The lower dirs for layers with these diffIDs, bottom first; missing snapshots are extracted now. */
  public List<Path> lowers(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (diffIds.isEmpty()) {
      return List.of();
    }
    List<ChainId> chain = ChainId.chain(diffIds);
    List<Path> out = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      ChainId id = chain.get(i);
      Descriptor layer = layers.get(i);
      Digest diffId = diffIds.get(i);
      out.add(snapshots.create(id, dir -> {
        try (InputStream in = blobs.open(layer.digest())) {
          LayerApplier.apply(in, dir, LayerApplier.Options.defaults().withDevices(true).expecting(diffId));
        }
      }));
    }
    return out;
  }
}
