package dev.jbuild.store.image;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Manifest;
import java.util.List;

/**
 * An image of the store, read whole: its manifest (with the descriptor it is stored under) and its
 * config. The image id is the config's digest, as docker shows it.
 */
public record Image(Descriptor manifestDescriptor, Manifest manifest, ImageConfig config) {

  /** docker's image id: the digest of the config blob. */
  public Digest id() {
    return manifest.config().digest();
  }

  public Digest manifestDigest() {
    return manifestDescriptor.digest();
  }

  public List<Descriptor> layers() {
    return manifest.layers();
  }

  /** Sum of the layer blob sizes (compressed), the size a pull downloads. */
  public long compressedSize() {
    long n = manifest.config().size();
    for (Descriptor l : manifest.layers()) {
      n += l.size();
    }
    return n;
  }
}
