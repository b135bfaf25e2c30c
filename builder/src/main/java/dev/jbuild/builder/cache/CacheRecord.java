package dev.jbuild.builder.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cached step produced: the layer it added (blob descriptor and diffID) or none, the container config
 * after it, and its history entry. Applying a record to the parent state gives the same state as running the
 * step again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheRecord(
    @JsonProperty("layer") Descriptor layer,
    @JsonProperty("diffId") Digest diffId,
    @JsonProperty("config") ContainerConfig config,
    @JsonProperty("history") HistoryEntry history) {

  public CacheRecord {
    if ((layer == null) != (diffId == null)) {
      throw new IllegalArgumentException("a cache record has both a layer and its diffId, or neither");
    }
    config = config == null ? ContainerConfig.EMPTY : config;
    Objects.requireNonNull(history, "history");
  }

  /** The layer, if the step made one. */
  public Optional<Descriptor> layerDescriptor() {
    return Optional.ofNullable(layer);
  }
}
