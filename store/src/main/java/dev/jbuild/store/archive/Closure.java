package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blobs an image consists of: its manifest (or index, with every nested manifest), configs and
 * layers, each checked present in the store with the size its descriptor gives. Used before saving
 * (to list what goes into an archive) and after loading (to refuse an incomplete archive before
 * anything is tagged).
 */
final class Closure {
  /** How deep indexes may nest; real images use one level. */
  private static final int MAX_DEPTH = 8;

  private final Store store;
  private final Map<Digest, Descriptor> blobs = new TreeMap<>();

  Closure(Store store) {
    this.store = store;
  }

  /** Adds an image and everything it references; fails naming the first missing or wrong blob. */
  Closure add(Descriptor top) throws IOException {
    walk(top, "image " + top.digest(), 0);
    return this;
  }

  /** Every blob found so far, by digest (sorted, so archives list them in a stable order). */
  Map<Digest, Descriptor> blobs() {
    return blobs;
  }

  private void walk(Descriptor d, String of, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new ArchiveException(d.digest().toString(), "image indexes nest more than " + MAX_DEPTH + " levels");
    }
    present(d, of);
    if (blobs.putIfAbsent(d.digest(), d) != null) {
      return;
    }
    if (d.mediaType().isManifest()) {
      Manifest m = OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Manifest.class);
      String self = "manifest " + d.digest();
      present(m.config(), "config of " + self);
      blobs.putIfAbsent(m.config().digest(), m.config());
      for (Descriptor l : m.layers()) {
        present(l, "layer of " + self);
        blobs.putIfAbsent(l.digest(), l);
      }
    } else if (d.mediaType().isIndex()) {
      Index idx = OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Index.class);
      for (Descriptor child : idx.manifests()) {
        walk(child, "entry of index " + d.digest(), depth + 1);
      }
    }
  }

  private void present(Descriptor d, String of) throws IOException {
    if (!store.blobs().has(d.digest())) {
      throw new ArchiveException(d.digest().toString(), "blob missing (" + of + ")");
    }
    long size = store.blobs().size(d.digest());
    if (size != d.size()) {
      throw new ArchiveException(d.digest().toString(),
          "blob is " + size + " bytes but its descriptor (" + of + ") says " + d.size());
    }
  }
}
