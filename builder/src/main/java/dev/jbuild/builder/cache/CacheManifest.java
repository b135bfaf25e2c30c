package dev.jbuild.builder.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbuild.store.oci.MediaType;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config blob of an exported build cache: every exported {@link CacheRecord} by its {@link CacheKey} (printed
 * as a digest). The cache image's layers are the layer blobs these records name.
 */
public record CacheManifest(@JsonProperty("records") Map<String, CacheRecord> records) {
  /** The media type of the config blob of a jbuild cache image. */
  public static final MediaType CONFIG_TYPE = new MediaType("application/vnd.jbuild.cache.config.v1+json");

  public CacheManifest {
    // sorted, so the same records always export the same bytes
    records = records == null ? Map.of() : new TreeMap<>(records);
    records.keySet().forEach(CacheKey::parse);
  }
}
