package dev.jbuild.builder;

import dev.jbuild.builder.exec.SnapshotMerge;
import dev.jbuild.builder.step.ImageState;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.LayerWritten;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.RootFs;
import dev.jbuild.store.snapshot.ChainId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --squash}: the layers the target stage added on top of its base become one layer (the merge of their
 * snapshots), and the history entries of its steps are kept but marked {@code empty_layer}, followed by one
 * entry for the squashed layer. The base's layers and history stay as they are.
 */
final class Squash {
  private Squash() {}

  static ImageState squash(BuildSession s, StageRun.Result stage) throws IOException {
    ImageState st = stage.state();
    int base = stage.baseLayers();
    int added = st.layers().size() - base;
    if (added < 2) {
      return st;
    }
    List<Path> lowers = s.snapshots.lowers(st.layers(), st.diffIds());
    Path work = dev.jbuild.store.TempFiles.createDirectory(s.tmp, "squash-");
    try {
      Path merged = Files.createDirectory(work.resolve("merged"));
      Files.setAttribute(merged, "unix:mode", 0755);
      SnapshotMerge.merge(lowers.subList(base, lowers.size()), merged);
      Descriptor blob;
      Digest diffId;
      try (BlobWriter w = s.store.blobs().newWriter()) {
        LayerWritten written = LayerWriter.write(merged, w.stream(), s.layerOptions);
        blob = w.commit(s.layerOptions.compression().mediaType());
        diffId = written.diffId();
      }
      List<Digest> diffIds = new ArrayList<>(st.diffIds().subList(0, base));
      diffIds.add(diffId);
      s.snapshots.store().commitDir(ChainId.of(diffIds), merged);
      List<Descriptor> layers = new ArrayList<>(st.layers().subList(0, base));
      layers.add(blob);
      List<HistoryEntry> history = new ArrayList<>(st.config().history().subList(0, stage.baseHistory()));
      for (HistoryEntry h : st.config().history().subList(stage.baseHistory(), st.config().history().size())) {
        history.add(new HistoryEntry(h.created(), h.createdBy(), h.author(), h.comment(), true));
      }
      history.add(HistoryEntry.layer(s.created, "jbuild build --squash").withComment("squashed " + added + " layers"));
      ImageConfig c = st.config().withRootFs(RootFs.of(diffIds)).withHistory(history);
      return new ImageState(c, layers, st.key());
    } finally {
      Whiteouts.deleteTree(work);
    }
  }
}
