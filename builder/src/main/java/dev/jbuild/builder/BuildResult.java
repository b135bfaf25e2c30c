package dev.jbuild.builder;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import java.util.List;

/** A finished build: the image's manifest descriptor, its id (the config digest), its config and the names given. */
public record BuildResult(Descriptor manifest, Digest imageId, ImageConfig config, List<Descriptor> layers,
    List<String> tags) {
  public BuildResult {
    layers = List.copyOf(layers);
    tags = List.copyOf(tags);
  }
}
