package dev.jbuild.store.layer;

import dev.jbuild.store.digest.Digest;

/** What {@link LayerApplier} reports: the diffID it computed while reading, the tar size and the entry count. */
public record LayerApplied(Digest diffId, long uncompressedSize, long entries) {
  public LayerApplied {
    if (diffId == null || uncompressedSize < 0 || entries < 0) {
      throw new IllegalArgumentException("invalid apply result");
    }
  }
}
