package dev.jbuild.runtime.net;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.oci.OciFormatException;
import dev.jbuild.store.oci.OciJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON trees the CNI code exchanges with the plugins (network configuration lists, runtime
 * config, results), read with the store's strict parser and written by a plain generator walk.
 * Neither builds a data-binding {@code ObjectMapper}, whose set-up costs a short-lived
 * {@code jbuild run} tens of milliseconds.
 */
final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTrees() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException("[internal error] writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  static String string(JsonNode tree) {
    return new String(bytes(tree), StandardCharsets.UTF_8);
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : n) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL, MISSING -> g.writeNull();
      case NUMBER -> {
        if (n.isIntegralNumber()) {
          if (n.canConvertToLong()) {
            g.writeNumber(n.longValue());
          } else {
            g.writeNumber(n.bigIntegerValue());
          }
        } else {
          g.writeNumber(n.doubleValue());
        }
      }
      default -> g.writeString(n.asText());
    }
  }
}
