package dev.jbuild.store.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one configured JSON mapper for OCI documents, and the canonical writer whose bytes jbuild
 * hashes.
 *
 * <p>Canonical bytes: compact (no whitespace, no trailing newline), fields in the order each record
 * declares with {@code @JsonPropertyOrder}, optional fields left out when null or empty, map keys
 * sorted (as Go's encoding/json does), timestamps as RFC 3339 strings, durations as nanoseconds.
 *
 * <p>Reading is strict about what jbuild needs and lenient about the rest: unknown fields are
 * ignored, but wrong types (a number where a string belongs), duplicate keys, trailing data, the
 * extra rules of {@link OciRules} and every record's own validation are errors, reported as an
 * {@link OciFormatException} that names the document kind and the field. Documents are capped at
 * {@link #MAX_BYTES}, since they are read whole.
 */
public final class OciJson {
  /** The largest manifest, index or config jbuild reads: 4 MiB, as containerd's limit. */
  public static final int MAX_BYTES = 4 << 20;

  private OciJson() {}

  // The data-binding mapper, built on first use: only values outside the model records and plain
  // maps and lists (which OciCodec writes and binds by hand) need it.
  private static final class Mapper {
    static final ObjectMapper MAPPER = build();
  }

  /** The canonical bytes of a model value. */
  public static byte[] write(Object value) {
    try {
      return OciCodec.write(value);
    } catch (OciCodec.Unsupported e) {
      return mapperWrite(value);
    }
  }

  // the data-binding mapper's bytes for a value (tests compare OciCodec with it)
  static byte[] mapperWrite(Object value) {
    try {
      return Mapper.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("[internal error] cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads a document into a model type ({@link Manifest}, {@link Index}, {@link ImageConfig}, ...). */
  public static <T> T read(byte[] json, Class<T> type) {
    String kind = kind(type);
    if (json.length > MAX_BYTES) {
      throw error(type, kind + " is " + json.length + " bytes, more than the " + (MAX_BYTES >> 20) + " MiB limit", null);
    }
    JsonNode tree = readTree(json, type);
    if (!tree.isObject()) {
      throw error(type, kind + " is not a JSON object", null);
    }
    List<String> problems = new ArrayList<>(OciRules.violations(mediaTypeOf(type), tree));
    problems.addAll(missingSizes(type, tree));
    if (!problems.isEmpty()) {
      throw error(type, "invalid " + kind + ": " + String.join("; ", problems), null);
    }
    try {
      return OciCodec.bind(tree, type);
    } catch (OciCodec.BindException e) {
      throw error(type, "invalid " + kind + ": " + e.getMessage(), e.getCause());
    } catch (OciCodec.Unsupported e) {
      return mapperBind(tree, type, kind);
    }
  }

  // the data-binding mapper's reading of a tree (tests compare OciCodec with it)
  static <T> T mapperBind(JsonNode tree, Class<T> type, String kind) {
    try {
      return Mapper.MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw error(type, "invalid " + kind + ": " + describe(e), e);
    } catch (JsonProcessingException e) {
      throw error(type, "invalid " + kind + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw error(type, "invalid " + kind + ": " + e.getMessage(), e);
    }
  }

  /**
   * Binds a part of a document read by {@link #readTree} (a descriptor, a container config, a history
   * entry ...) to a model type: for documents that embed the model, such as the builder's cache
   * records. Null for JSON null or an absent node; a problem is an {@link OciFormatException} naming
   * the field under {@code path}.
   */
  public static <T> T bind(JsonNode node, Class<T> type, String path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    List<String> problems = OciRules.violations(mediaTypeOf(type), node);
    if (!problems.isEmpty()) {
      throw error(type, "invalid " + path + ": " + String.join("; ", problems), null);
    }
    try {
      return OciCodec.bind(node, type);
    } catch (OciCodec.BindException e) {
      throw error(type, "invalid " + path + (e.path.isEmpty() ? "" : "." + e.path) + ": " + e.why, e.getCause());
    } catch (OciCodec.Unsupported e) {
      throw new IllegalArgumentException("[internal error] OciJson.bind does not know " + type.getSimpleName());
    }
  }

  /** Reads at most {@link #MAX_BYTES} from a stream (which the caller closes) into a model type. */
  public static <T> T read(InputStream in, Class<T> type) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    return read(bytes, type);
  }

  /** Parses any JSON document into a tree, with the same size cap and strictness. */
  public static JsonNode readTree(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw new OciFormatException("document is " + json.length + " bytes, more than the 4 MiB limit");
    }
    return readTree(json, JsonNode.class);
  }

  private static JsonNode readTree(byte[] json, Class<?> type) {
    try {
      JsonNode tree = OciCodec.parse(json);
      if (tree == null) {
        throw error(type, kind(type) + " is empty", null);
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw error(type, kind(type) + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("[internal error] reading bytes from memory", e);
    }
  }

  // A record's long size cannot tell 0 from absent, so the required "size" is checked on the tree.
  private static List<String> missingSizes(Class<?> type, JsonNode tree) {
    List<String> out = new ArrayList<>();
    if (type == Descriptor.class) {
      requireSize(tree, "", out);
    } else if (type == Manifest.class) {
      requireSize(tree.get("config"), "config", out);
      requireSize(tree.get("subject"), "subject", out);
      JsonNode layers = tree.path("layers");
      for (int i = 0; i < layers.size(); i++) {
        requireSize(layers.get(i), "layers[" + i + "]", out);
      }
    } else if (type == Index.class) {
      requireSize(tree.get("subject"), "subject", out);
      JsonNode manifests = tree.path("manifests");
      for (int i = 0; i < manifests.size(); i++) {
        requireSize(manifests.get(i), "manifests[" + i + "]", out);
      }
    }
    return out;
  }

  private static void requireSize(JsonNode descriptor, String path, List<String> out) {
    if (descriptor != null && descriptor.isObject() && !descriptor.has("size")) {
      out.add((path.isEmpty() ? "" : path + ": ") + "missing size");
    }
  }

  static String kind(Class<?> type) {
    if (type == Manifest.class) {
      return "image manifest";
    } else if (type == Index.class) {
      return "image index";
    } else if (type == ImageConfig.class) {
      return "image config";
    } else if (type == Descriptor.class) {
      return "descriptor";
    }
    return "document";
  }

  private static MediaType mediaTypeOf(Class<?> type) {
    if (type == Manifest.class) {
      return MediaType.OCI_MANIFEST;
    } else if (type == Index.class) {
      return MediaType.OCI_INDEX;
    } else if (type == ImageConfig.class) {
      return MediaType.OCI_CONFIG;
    }
    return new MediaType("application/vnd.oci.descriptor.v1+json");
  }

  private static OciFormatException error(Class<?> type, String message, Throwable cause) {
    return type == ImageConfig.class
        ? new InvalidConfigException(message, cause)
        : new InvalidManifestException(message, cause);
  }

  // "layers[0].digest: invalid sha256 digest: ..." rather than Jackson's multi-line report.
  private static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      if (root instanceof JbuildException) {
        break;
      }
    }
    String why;
    if (root instanceof JbuildException || root instanceof IllegalArgumentException) {
      why = root.getMessage();
    } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      // Jackson's own text names Java classes; say what the JSON should have held instead
      why = "want " + jsonKind(mi.getTargetType());
    } else {
      why = e.getOriginalMessage().lines().findFirst().orElse("");
    }
    return path.isEmpty() ? why : path + ": " + why;
  }

  private static String jsonKind(Class<?> t) {
    if (t == String.class || t == Digest.class || t == MediaType.class || t == Instant.class) {
      return "a string";
    } else if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    } else if (t.isPrimitive() || Number.class.isAssignableFrom(t) || t == Duration.class) {
      return "an integer";
    } else if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) {
      return "an array";
    }
    return "an object";
  }

  private static ObjectMapper build() {
    SimpleModule oci = new SimpleModule("oci");
    oci.addSerializer(Digest.class, new JsonSerializer<>() {
      @Override
      public void serialize(Digest d, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(d.toString());
      }
    });
    oci.addDeserializer(Digest.class, new JsonDeserializer<>() {
      @Override
      public Digest deserialize(JsonParser p, DeserializationContext c) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          return (Digest) c.handleUnexpectedToken(Digest.class, p);
        }
        return Digest.parse(p.getText());
      }
    });
    oci.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant t, JsonGenerator g, SerializerProvider p) throws IOException {
        // ISO_INSTANT is RFC 3339 in UTC with only as many fraction digits as needed, as Go prints
        g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
      }
    });
    oci.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          return (Instant) c.handleUnexpectedToken(Instant.class, p);
        }
        String s = p.getText();
        try {
          return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("\"" + s + "\" is not an RFC 3339 timestamp", e);
        }
      }
    });
    // Go's time.Duration marshals as an integer count of nanoseconds (docker's Healthcheck).
    oci.addSerializer(Duration.class, new JsonSerializer<>() {
      @Override
      public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeNumber(d.toNanos());
      }
    });
    oci.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
          return (Duration) c.handleUnexpectedToken(Duration.class, p);
        }
        return Duration.ofNanos(p.getLongValue());
      }
    });
    JsonMapper mapper = JsonMapper.builder()
        .addModule(oci)
        .disable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // The schemas want "os": "linux", not 123: no scalar coercion in either direction.
    List<CoercionInputShape> scalars = List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
    for (CoercionInputShape s : scalars) {
      if (s != CoercionInputShape.String && s != CoercionInputShape.EmptyString) {
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(s, CoercionAction.Fail);
      }
      if (s != CoercionInputShape.Integer) {
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(s, CoercionAction.Fail);
      }
      if (s != CoercionInputShape.Boolean) {
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(s, CoercionAction.Fail);
      }
    }
    return mapper;
  }
}
