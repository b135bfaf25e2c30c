package dev.jbuild.store.blob;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Immutable blobs named by their digest. Writes go through a {@link BlobWriter} (temp file, fsync,
 * rename), so a reader never sees a partial blob.
 */
public interface BlobStore {
  boolean has(Digest digest);

  /** Opens a stored blob. Fails with {@link BlobNotFoundException} if absent. Caller closes. */
  InputStream open(Digest digest) throws IOException;

  /** The blob's file, for callers that need random access or a size. Must exist. */
  Path path(Digest digest);

  /** Size of a stored blob. */
  long size(Digest digest) throws IOException;

  /** A writer for a new blob; the caller closes it. */
  BlobWriter newWriter() throws IOException;

  /** Stores bytes (idempotent) and returns their descriptor. */
  Descriptor put(MediaType type, byte[] content) throws IOException;

  /** Stores a stream's content (idempotent). The caller closes {@code in}. */
  Descriptor put(MediaType type, InputStream in) throws IOException;
}
