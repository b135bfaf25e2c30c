package dev.jbuild.store.blob;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A blob being written: bytes go to a temp file under the store's {@code tmp/} while their digest
 * and size are computed. {@link #commit} fsyncs and renames it to {@code blobs/sha256/<hex>};
 * {@link #close} without a commit deletes the temp file. Idempotent: committing content the store
 * already has keeps the existing blob.
 */
public interface BlobWriter extends Closeable {
  /** The stream to write the content to; do not close it, close the writer. */
  OutputStream stream();

  /** Bytes written so far. */
  long size();

  /** Stores the blob under the digest of what was written. */
  Descriptor commit(MediaType type) throws IOException;

  /**
   * Stores the blob only if what was written has the expected digest (pull, load); otherwise fails
   * with {@link dev.jbuild.store.digest.DigestMismatchException} and stores nothing.
   */
  Descriptor commit(MediaType type, Digest expected) throws IOException;

  /** Discards the temp file unless committed. Idempotent. */
  @Override
  void close() throws IOException;
}
