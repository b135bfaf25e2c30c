package dev.jbuild.builder.cache;

import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.oci.Descriptor;
import java.io.IOException;
import java.util.List;

/**
 * A place a build cache is exported to and imported from: an OCI image whose config blob is a {@link
 * CacheManifest} and whose layers are the layer blobs its records name.
 */
public sealed interface CacheTransport permits LocalCacheTransport, RegistryCacheTransport {
  /** Reads the records only (no layer is fetched). */
  CacheManifest read() throws IOException;

  /** Copies the layer blob {@code layer} into {@code blobs}, verified against its digest and size. */
  void fetch(Descriptor layer, BlobStore blobs) throws IOException;

  /** Writes the cache image: {@code layers} (taken from {@code blobs}) and the records as its config. */
  void write(CacheManifest records, List<Descriptor> layers, BlobStore blobs) throws IOException;

  /** What this cache is, for messages. */
  String describe();
}
