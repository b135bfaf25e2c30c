package dev.jbuild.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.oci.OciJson;

/** Pretty JSON for humans (inspect, --format json); the OCI records keep their spec field names. */
final class Json {
  static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** An OCI record as a tree, through the canonical mapper so field names match the spec. */
  static JsonNode tree(Object ociValue) {
    return OciJson.readTree(OciJson.write(ociValue));
  }

  static ObjectNode object() {
    return PRETTY.createObjectNode();
  }

  static String pretty(JsonNode n) {
    try {
      return PRETTY.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("[internal error] printing json", e);
    }
  }
}
