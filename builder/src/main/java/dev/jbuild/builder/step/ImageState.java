package dev.jbuild.builder.step;

import dev.jbuild.builder.cache.CacheKey;
import dev.jbuild.builder.cache.CacheRecord;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image being built, as it is after some step: its config (with rootfs diffIDs and history), its layer
 * descriptors (one per diffID, bottom first) and the cache key of the chain of steps that made it.
 */
public record ImageState(ImageConfig config, List<Descriptor> layers, CacheKey key) {
  public ImageState {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(key, "key");
    layers = List.copyOf(layers);
    if (layers.size() != config.rootfs().diffIds().size()) {
      throw new IllegalStateException("[internal error] " + layers.size() + " layers but "
          + config.rootfs().diffIds().size() + " diffIDs");
    }
  }

  /** The diffIDs of the layers, bottom first. */
  public List<Digest> diffIds() {
    return config.rootfs().diffIds();
  }

  /** The execution defaults (never null). */
  public ContainerConfig containerConfig() {
    return config.configOrEmpty();
  }

  /** The state after a step whose result is {@code r}, reached under {@code newKey}. */
  public ImageState apply(CacheRecord r, CacheKey newKey) {
    ImageConfig c = config.withConfig(r.config());
    List<Descriptor> l = layers;
    if (r.layer() != null) {
      c = c.withLayer(r.diffId(), r.history());
      l = new ArrayList<>(layers);
      l.add(r.layer());
    } else {
      c = c.withHistoryEntry(r.history());
    }
    return new ImageState(c, l, newKey);
  }

  /** The same image under another key (steps that change nothing, such as ARG). */
  public ImageState withKey(CacheKey k) {
    return new ImageState(config, layers, k);
  }

  public ImageState withContainerConfig(ContainerConfig cc) {
    return new ImageState(config.withConfig(cc), layers, key);
  }
}
