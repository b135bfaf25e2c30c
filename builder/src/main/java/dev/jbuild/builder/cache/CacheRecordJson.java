package dev.jbuild.builder.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.InvalidManifestException;
import dev.jbuild.store.oci.OciJson;
import java.nio.charset.StandardCharsets;

/**
 * A {@link CacheRecord} as JSON, {@code {"layer":{...},"diffId":"sha256:...","config":{...},"history":{...}}}
 * (layer and diffId left out when the step made no layer), its parts in {@link OciJson}'s canonical form.
 * Written and read by hand so that a fully cached build never starts a data-binding mapper.
 */
final class CacheRecordJson {
  private CacheRecordJson() {}

  static byte[] write(CacheRecord r) {
    StringBuilder b = new StringBuilder(512).append('{');
    if (r.layer() != null) {
      b.append("\"layer\":").append(json(r.layer())).append(",\"diffId\":\"").append(r.diffId()).append("\",");
    }
    b.append("\"config\":").append(json(r.config())).append(",\"history\":").append(json(r.history())).append('}');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static CacheRecord read(byte[] json) {
    JsonNode tree = OciJson.readTree(json);
    if (!tree.isObject()) {
      throw new InvalidManifestException("cache record is not a JSON object");
    }
    JsonNode diffId = tree.get("diffId");
    if (diffId != null && !diffId.isNull() && !diffId.isTextual()) {
      throw new InvalidManifestException("invalid cache record: diffId: want a string");
    }
    try {
      return new CacheRecord(OciJson.bind(tree.get("layer"), Descriptor.class, "cache record.layer"),
          diffId == null || diffId.isNull() ? null : Digest.parse(diffId.textValue()),
          OciJson.bind(tree.get("config"), ContainerConfig.class, "cache record.config"),
          OciJson.bind(tree.get("history"), HistoryEntry.class, "cache record.history"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidManifestException("invalid cache record: " + e.getMessage());
    }
  }

  private static String json(Object v) {
    return new String(OciJson.write(v), StandardCharsets.UTF_8);
  }
}
