package dev.jbuild.store.registry;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;

/**
 * A manifest or index as a registry served it: its media type, its exact bytes (digests depend on
 * them) and their digest, already checked against the digest the manifest was asked for by.
 */
public record ManifestResponse(MediaType mediaType, byte[] bytes, Digest digest) {
  public ManifestResponse {
    if (mediaType == null || bytes == null || digest == null) {
      throw new IllegalArgumentException("manifest response needs a media type, bytes and a digest");
    }
  }

  /** The descriptor that points at this manifest. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  public boolean isIndex() {
    return mediaType.isIndex();
  }
}
