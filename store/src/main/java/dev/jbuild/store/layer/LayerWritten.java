package dev.jbuild.store.layer;

import dev.jbuild.store.digest.Digest;

/**
 * What {@link LayerWriter} reports: the diffID (sha256 of the uncompressed tar) and its size. The
 * compressed digest and size belong to whoever owns the sink (a blob writer).
 */
public record LayerWritten(Digest diffId, long uncompressedSize, long entries) {
  public LayerWritten {
    if (diffId == null || uncompressedSize < 0 || entries < 0) {
      throw new IllegalArgumentException("invalid layer result");
    }
  }
}
