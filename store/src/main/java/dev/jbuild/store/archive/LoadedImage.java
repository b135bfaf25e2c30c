package dev.jbuild.store.archive;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import java.util.List;

/**
 * One image a load put into the store: its descriptor as listed in the store's index, its image id
 * (the config digest; for an index, the digest of the index itself) and the names it was tagged
 * with (none when the archive did not name it).
 */
public record LoadedImage(Descriptor descriptor, Digest id, List<ImageRef> names) {
  public LoadedImage {
    names = List.copyOf(names);
  }

  /** What docker prints for it: {@code Loaded image: name:tag} per name, else {@code Loaded image ID: ...}. */
  public List<String> describe() {
    if (names.isEmpty()) {
      return List.of("Loaded image ID: " + id);
    }
    return names.stream().map(n -> "Loaded image: " + n.familiar()).toList();
  }
}
