package dev.jbuild.builder.exec;

import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.LayerWritten;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.snapshot.ChainId;
import dev.jbuild.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a finished step's upper dir into a layer: one streaming pass writes the blob (diffID and digest
 * computed on the way), then the upper dir itself is renamed into the snapshot store as the new chain's
 * snapshot, so the next step mounts it without extracting anything.
 */
public final class LayerCommit {
  private LayerCommit() {}

  /** A layer as committed: the blob descriptor and the diffID. */
  public record Committed(Descriptor blob, Digest diffId) {}

  /**
   * Unmounts {@code rootfs}; if its upper dir is empty returns empty (no layer), else writes the layer and moves
   * the upper into {@code snapshots} under the chain of {@code parentDiffIds} plus the new diffID.
   */
  public static Optional<Committed> commit(StepRootfs rootfs, List<Digest> parentDiffIds, BlobStore blobs,
      SnapshotStore snapshots, LayerOptions options) throws IOException {
    rootfs.unmount();
    if (rootfs.upperEmpty()) {
      return Optional.empty();
    }
    Committed c;
    try (BlobWriter w = blobs.newWriter()) {
      LayerWritten written = LayerWriter.write(rootfs.upper(), w.stream(), options);
      Descriptor d = w.commit(options.compression().mediaType());
      c = new Committed(d, written.diffId());
    }
    List<Digest> all = new ArrayList<>(parentDiffIds);
    all.add(c.diffId());
    if (!snapshots.has(ChainId.of(all))) {
      snapshots.commitDir(ChainId.of(all), rootfs.upper());
      rootfs.upperTaken();
    }
    return Optional.of(c);
  }
}
