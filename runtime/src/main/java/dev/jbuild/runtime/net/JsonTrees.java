package dev.jbuild.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.oci.OciFormatException;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON trees the CNI code exchanges with the plugins (network configuration lists, runtime
 * config, results): the store's {@link dev.jbuild.store.oci.JsonTrees}, with malformed input
 * reported as an IOException that names the document.
 */
final class JsonTrees {
  private JsonTrees() {}

  static ObjectNode object() {
    return dev.jbuild.store.oci.JsonTrees.object();
  }

  /** Parses a document; malformed JSON is an IOException naming {@code what}. */
  static JsonNode read(String json, String what) throws IOException {
    try {
      return OciJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    } catch (OciFormatException e) {
      throw new IOException(what + ": " + e.getMessage(), e);
    }
  }

  static byte[] bytes(JsonNode tree) {
    return dev.jbuild.store.oci.JsonTrees.bytes(tree);
  }

  static String string(JsonNode tree) {
    return dev.jbuild.store.oci.JsonTrees.string(tree);
  }
}
