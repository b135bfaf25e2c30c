package dev.jbuild.store.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees for the small documents that are no model records (CNI configurations and results,
 * docker's config.json, jbuild's config file, hint files): read with the store's strict parser
 * ({@link OciJson#readTree}) and written by a plain generator walk. Neither builds a data-binding
 * {@code ObjectMapper}, whose set-up costs a short-lived command tens of milliseconds.
 */
public final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTrees() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * Parses a document (at most {@link OciJson#MAX_BYTES}); an empty one or one of JSON whitespace only is null. Malformed
   * JSON is an {@link OciFormatException}.
   */
  public static JsonNode parse(byte[] json) {
    for (byte b : json) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return OciJson.readTree(json);
      }
    }
    return null;
  }

  /** Compact UTF-8 bytes. */
  public static byte[] bytes(JsonNode tree) {
    return bytes(tree, false);
  }

  /** UTF-8 bytes, indented as Jackson's default pretty printer does when {@code pretty}. */
  public static byte[] bytes(JsonNode tree, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException("[internal error] writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  /** Compact text. */
  public static String string(JsonNode tree) {
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
