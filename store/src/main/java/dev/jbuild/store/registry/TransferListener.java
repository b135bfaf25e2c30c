package dev.jbuild.store.registry;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;

/**
 * Hears how a pull or push goes, blob by blob, for progress output. Methods are called from the
 * transfer threads (several at once) and must be cheap; every method does nothing by default.
 */
public interface TransferListener {
  /** Hears nothing. */
  TransferListener NONE = new TransferListener() {};

  /** What a blob is to the image. */
  enum Kind { CONFIG, LAYER }

  /** Why a blob was not transferred. */
  enum Skip {
    /** The local store (pull) or the target repository (push) already had it. */
    EXISTS,
    /** The registry mounted it from another repository. */
    MOUNTED
  }

  /** The manifest was found: the registry or mirror it came from and its digest. */
  default void resolved(String source, Digest manifest) {}

  /** A blob starts moving. */
  default void started(Descriptor blob, Kind kind) {}

  /** Bytes of a blob moved so far. */
  default void progress(Descriptor blob, long bytesSoFar) {}

  /** A blob was transferred whole and verified. */
  default void done(Descriptor blob, Kind kind) {}

  /** A blob needed no transfer. */
  default void skipped(Descriptor blob, Kind kind, Skip why) {}

  /** A mirror failed and the next mirror or the registry is tried. */
  default void mirrorFailed(String mirror, Exception error) {}

  /** The manifest was written (pull: into the store; push: to the registry). */
  default void manifestWritten(Digest manifest) {}
}
