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

  /** Equal media types, digests and bytes (a record compares arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ManifestResponse m && mediaType.equals(m.mediaType) && digest.equals(m.digest)
        && java.util.Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "ManifestResponse[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
