package dev.jbuild.store.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.digest.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hand-written codec behind {@link OciJson} for the OCI model records: jackson-core's streaming
 * generator, {@link JsonReader} for parsing, with no data binding. A data-binding mapper introspects every record on first
 * use, which costs a short-lived command (one {@code jbuild run}) more than all its JSON work; these
 * few fixed shapes do not need it.
 *
 * <p>The writer produces exactly the canonical bytes {@link OciJson} documents (field order, left-out
 * empty fields, sorted map keys); the binder reports a wrong type as {@code path: want a string} as
 * the mapper did. Types it does not know are left to the mapper ({@link Unsupported}).
 */
final class OciCodec {
  static final JsonFactory FACTORY = new JsonFactory();

  private OciCodec() {}

  /** A value (or a value inside it) this codec has no writer or binder for. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** A binding problem at a path ({@code layers[0].digest}), the path empty at the root. */
  static final class BindException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String path;
    final String why;

    BindException(String path, String why, Throwable cause) {
      super(path.isEmpty() ? why : path + ": " + why, cause);
      this.path = path;
      this.why = why;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing into a tree

  /** Parses one JSON document into a tree; null when the input holds no value at all. */
  static JsonNode parse(byte[] json) throws IOException {
    return JsonReader.read(json);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** The canonical bytes of a value, or {@link Unsupported} when some part of it has no writer here. */
  static byte[] write(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      value(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Digest d -> g.writeString(d.toString());
      case MediaType m -> g.writeString(m.value());
      case Instant t -> g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
      case Duration d -> g.writeNumber(d.toNanos());
      case Manifest m -> manifest(g, m);
      case Index i -> index(g, i);
      case Descriptor d -> descriptor(g, d);
      case Platform p -> platform(g, p);
      case ImageConfig c -> imageConfig(g, c);
      case ContainerConfig c -> containerConfig(g, c);
      case Healthcheck h -> healthcheck(g, h);
      case HistoryEntry h -> history(g, h);
      case RootFs r -> rootfs(g, r);
      case OciLayoutHeader h -> {
        g.writeStartObject();
        g.writeStringField("imageLayoutVersion", h.imageLayoutVersion());
        g.writeEndObject();
      }
      case Map<?, ?> m -> map(g, m);
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object e : c) {
          value(g, e);
        }
        g.writeEndArray();
      }
      default -> throw new Unsupported();
    }
  }

  // maps are written with sorted keys, as Go's encoding/json does
  private static void map(JsonGenerator g, Map<?, ?> m) throws IOException {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new Unsupported();
      }
      sorted.put(k, e.getValue());
    }
    g.writeStartObject();
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      g.writeFieldName(e.getKey());
      value(g, e.getValue());
    }
    g.writeEndObject();
  }

  private static void manifest(JsonGenerator g, Manifest m) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schemaVersion", m.schemaVersion());
    optional(g, "mediaType", m.mediaType());
    optional(g, "artifactType", m.artifactType());
    optional(g, "config", m.config());
    g.writeFieldName("layers");
    value(g, m.layers());
    optional(g, "subject", m.subject());
    optional(g, "annotations", m.annotations());
    g.writeEndObject();
  }

  private static void index(JsonGenerator g, Index i) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schemaVersion", i.schemaVersion());
    optional(g, "mediaType", i.mediaType());
    optional(g, "artifactType", i.artifactType());
    g.writeFieldName("manifests");
    value(g, i.manifests());
    optional(g, "subject", i.subject());
    optional(g, "annotations", i.annotations());
    g.writeEndObject();
  }

  private static void descriptor(JsonGenerator g, Descriptor d) throws IOException {
    g.writeStartObject();
    optional(g, "mediaType", d.mediaType());
    optional(g, "digest", d.digest());
    g.writeNumberField("size", d.size());
    optional(g, "urls", d.urls());
    optional(g, "annotations", d.annotations());
    optional(g, "platform", d.platform());
    optional(g, "artifactType", d.artifactType());
    g.writeEndObject();
  }

  private static void platform(JsonGenerator g, Platform p) throws IOException {
    g.writeStartObject();
    optional(g, "architecture", p.architecture());
    optional(g, "os", p.os());
    optional(g, "os.version", p.osVersion());
    optional(g, "os.features", p.osFeatures());
    optional(g, "variant", p.variant());
    g.writeEndObject();
  }

  private static void imageConfig(JsonGenerator g, ImageConfig c) throws IOException {
    g.writeStartObject();
    optional(g, "created", c.created());
    optional(g, "author", c.author());
    optional(g, "architecture", c.architecture());
    optional(g, "os", c.os());
    optional(g, "os.version", c.osVersion());
    optional(g, "os.features", c.osFeatures());
    optional(g, "variant", c.variant());
    optional(g, "config", c.config());
    g.writeFieldName("rootfs");
    value(g, c.rootfs());
    optional(g, "history", c.history());
    g.writeEndObject();
  }

  private static void containerConfig(JsonGenerator g, ContainerConfig c) throws IOException {
    g.writeStartObject();
    optional(g, "User", c.user());
    stringSet(g, "ExposedPorts", c.exposedPorts());
    optional(g, "Env", c.env());
    optional(g, "Entrypoint", c.entrypoint());
    optional(g, "Cmd", c.cmd());
    stringSet(g, "Volumes", c.volumes());
    optional(g, "WorkingDir", c.workingDir());
    optional(g, "Labels", c.labels());
    optional(g, "StopSignal", c.stopSignal());
    if (c.argsEscaped()) {
      g.writeBooleanField("ArgsEscaped", true);
    }
    optional(g, "Healthcheck", c.healthcheck());
    optional(g, "OnBuild", c.onBuild());
    optional(g, "Shell", c.shell());
    g.writeEndObject();
  }

  // the image spec's string sets: {"80/tcp":{}}
  private static void stringSet(JsonGenerator g, String name, Set<String> set) throws IOException {
    if (set == null || set.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    StringSetJson.write(g, set);
  }

  private static void healthcheck(JsonGenerator g, Healthcheck h) throws IOException {
    g.writeStartObject();
    optional(g, "Test", h.test());
    optional(g, "Interval", h.interval());
    optional(g, "Timeout", h.timeout());
    optional(g, "StartPeriod", h.startPeriod());
    optional(g, "StartInterval", h.startInterval());
    if (h.retries() != 0) {
      g.writeNumberField("Retries", h.retries());
    }
    g.writeEndObject();
  }

  private static void history(JsonGenerator g, HistoryEntry h) throws IOException {
    g.writeStartObject();
    optional(g, "created", h.created());
    optional(g, "created_by", h.createdBy());
    optional(g, "author", h.author());
    optional(g, "comment", h.comment());
    if (h.emptyLayer()) {
      g.writeBooleanField("empty_layer", true);
    }
    g.writeEndObject();
  }

  private static void rootfs(JsonGenerator g, RootFs r) throws IOException {
    g.writeStartObject();
    g.writeFieldName("type");
    value(g, r.type());
    g.writeFieldName("diff_ids");
    value(g, r.diffIds());
    g.writeEndObject();
  }

  // a field left out when null or empty (an empty string, list or map), as the records declare
  private static void optional(JsonGenerator g, String name, Object v) throws IOException {
    if (v == null
        || v instanceof String s && s.isEmpty()
        || v instanceof Collection<?> c && c.isEmpty()
        || v instanceof Map<?, ?> m && m.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    value(g, v);
  }

  // ---------------------------------------------------------------------------------------------
  // Binding a tree to a model value

  /** Binds a tree to {@code type}, or throws {@link Unsupported} when this codec has no binder for it. */
  @SuppressWarnings("unchecked")
  static <T> T bind(JsonNode n, Class<T> type) {
    Object v;
    if (type == Manifest.class) {
      v = manifest(n, "");
    } else if (type == Index.class) {
      v = index(n, "");
    } else if (type == ImageConfig.class) {
      v = imageConfig(n, "");
    } else if (type == Descriptor.class) {
      v = descriptor(n, "");
    } else if (type == Platform.class) {
      v = platform(n, "");
    } else if (type == ContainerConfig.class) {
      v = containerConfig(n, "");
    } else if (type == HistoryEntry.class) {
      v = history(n, "");
    } else if (type == Healthcheck.class) {
      v = healthcheck(n, "");
    } else if (type == RootFs.class) {
      v = rootfs(n, "");
    } else if (type == OciLayoutHeader.class) {
      ObjectNode o = object(n, "");
      v = o == null ? null : construct("", () -> new OciLayoutHeader(string(o, "imageLayoutVersion", "")));
    } else if (type == Map.class || type == LinkedHashMap.class) {
      v = n.isObject() ? plain(n) : fail("", "want an object");
    } else {
      throw new Unsupported();
    }
    return (T) v;
  }

  /** A tree as plain Java values: LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean, null. */
  static Object plain(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), plain(e.getValue()));
      }
      return m;
    } else if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      for (JsonNode e : n) {
        l.add(plain(e));
      }
      return l;
    } else if (n.isTextual()) {
      return n.textValue();
    } else if (n.isNumber()) {
      return n.numberValue();
    } else if (n.isBoolean()) {
      return n.booleanValue();
    }
    return null;
  }

  static Manifest manifest(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    int schemaVersion = integer(o, "schemaVersion", path);
    MediaType mediaType = mediaType(o, "mediaType", path);
    MediaType artifactType = mediaType(o, "artifactType", path);
    Descriptor config = descriptor(o.get("config"), at(path, "config"));
    List<Descriptor> layers = descriptors(o.get("layers"), at(path, "layers"));
    Descriptor subject = descriptor(o.get("subject"), at(path, "subject"));
    Map<String, String> annotations = stringMap(o.get("annotations"), at(path, "annotations"));
    return construct(path, () -> new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations));
  }

  static Index index(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    int schemaVersion = integer(o, "schemaVersion", path);
    MediaType mediaType = mediaType(o, "mediaType", path);
    MediaType artifactType = mediaType(o, "artifactType", path);
    List<Descriptor> manifests = descriptors(o.get("manifests"), at(path, "manifests"));
    Descriptor subject = descriptor(o.get("subject"), at(path, "subject"));
    Map<String, String> annotations = stringMap(o.get("annotations"), at(path, "annotations"));
    return construct(path, () -> new Index(schemaVersion, mediaType, artifactType, manifests, subject, annotations));
  }

  static Descriptor descriptor(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    MediaType mediaType = mediaType(o, "mediaType", path);
    Digest digest = digest(o.get("digest"), at(path, "digest"));
    long size = longInteger(o, "size", path);
    List<String> urls = strings(o.get("urls"), at(path, "urls"));
    Map<String, String> annotations = stringMap(o.get("annotations"), at(path, "annotations"));
    Platform platform = platform(o.get("platform"), at(path, "platform"));
    String artifactType = string(o, "artifactType", path);
    return construct(path, () -> new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType));
  }

  private static List<Descriptor> descriptors(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isArray()) {
      throw new BindException(path, "want an array", null);
    }
    List<Descriptor> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      String p = path + "[" + i + "]";
      Descriptor d = descriptor(n.get(i), p);
      if (d == null) {
        throw new BindException(p, "want an object", null);
      }
      out.add(d);
    }
    return out;
  }

  static Platform platform(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    String architecture = string(o, "architecture", path);
    String os = string(o, "os", path);
    String osVersion = string(o, "os.version", path);
    List<String> osFeatures = strings(o.get("os.features"), at(path, "os.features"));
    String variant = string(o, "variant", path);
    return construct(path, () -> new Platform(architecture, os, osVersion, osFeatures, variant));
  }

  static ImageConfig imageConfig(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    Instant created = instant(o.get("created"), at(path, "created"));
    String author = string(o, "author", path);
    String architecture = string(o, "architecture", path);
    String os = string(o, "os", path);
    String osVersion = string(o, "os.version", path);
    List<String> osFeatures = strings(o.get("os.features"), at(path, "os.features"));
    String variant = string(o, "variant", path);
    ContainerConfig config = containerConfig(o.get("config"), at(path, "config"));
    RootFs rootfs = rootfs(o.get("rootfs"), at(path, "rootfs"));
    List<HistoryEntry> history = null;
    JsonNode h = o.get("history");
    if (!isNull(h)) {
      if (!h.isArray()) {
        throw new BindException(at(path, "history"), "want an array", null);
      }
      history = new ArrayList<>(h.size());
      for (int i = 0; i < h.size(); i++) {
        String p = at(path, "history") + "[" + i + "]";
        HistoryEntry e = history(h.get(i), p);
        if (e == null) {
          throw new BindException(p, "want an object", null);
        }
        history.add(e);
      }
    }
    List<HistoryEntry> hist = history;
    return construct(path, () -> new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant,
        config, rootfs, hist));
  }

  static ContainerConfig containerConfig(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    String user = string(o, "User", path);
    Set<String> exposedPorts = stringSet(o.get("ExposedPorts"), at(path, "ExposedPorts"));
    List<String> env = strings(o.get("Env"), at(path, "Env"));
    List<String> entrypoint = strings(o.get("Entrypoint"), at(path, "Entrypoint"));
    List<String> cmd = strings(o.get("Cmd"), at(path, "Cmd"));
    Set<String> volumes = stringSet(o.get("Volumes"), at(path, "Volumes"));
    String workingDir = string(o, "WorkingDir", path);
    Map<String, String> labels = stringMap(o.get("Labels"), at(path, "Labels"));
    String stopSignal = string(o, "StopSignal", path);
    boolean argsEscaped = bool(o, "ArgsEscaped", path);
    Healthcheck healthcheck = healthcheck(o.get("Healthcheck"), at(path, "Healthcheck"));
    List<String> onBuild = strings(o.get("OnBuild"), at(path, "OnBuild"));
    List<String> shell = strings(o.get("Shell"), at(path, "Shell"));
    return construct(path, () -> new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        labels, stopSignal, argsEscaped, healthcheck, onBuild, shell));
  }

  static Healthcheck healthcheck(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    List<String> test = strings(o.get("Test"), at(path, "Test"));
    Duration interval = duration(o.get("Interval"), at(path, "Interval"));
    Duration timeout = duration(o.get("Timeout"), at(path, "Timeout"));
    Duration startPeriod = duration(o.get("StartPeriod"), at(path, "StartPeriod"));
    Duration startInterval = duration(o.get("StartInterval"), at(path, "StartInterval"));
    int retries = integer(o, "Retries", path);
    return construct(path, () -> new Healthcheck(test, interval, timeout, startPeriod, startInterval, retries));
  }

  static HistoryEntry history(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    Instant created = instant(o.get("created"), at(path, "created"));
    String createdBy = string(o, "created_by", path);
    String author = string(o, "author", path);
    String comment = string(o, "comment", path);
    boolean emptyLayer = bool(o, "empty_layer", path);
    return construct(path, () -> new HistoryEntry(created, createdBy, author, comment, emptyLayer));
  }

  static RootFs rootfs(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    if (o == null) {
      return null;
    }
    String type = string(o, "type", path);
    JsonNode d = o.get("diff_ids");
    List<Digest> diffIds = null;
    if (!isNull(d)) {
      if (!d.isArray()) {
        throw new BindException(at(path, "diff_ids"), "want an array", null);
      }
      diffIds = new ArrayList<>(d.size());
      for (int i = 0; i < d.size(); i++) {
        String p = at(path, "diff_ids") + "[" + i + "]";
        Digest x = digest(d.get(i), p);
        if (x == null) {
          throw new BindException(p, "want a string", null);
        }
        diffIds.add(x);
      }
    }
    List<Digest> ids = diffIds;
    return construct(path, () -> new RootFs(type, ids));
  }

  // --- leaves

  /** The object at a path, null for JSON null or absent; anything else is a type error. */
  static ObjectNode object(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (n instanceof ObjectNode o) {
      return o;
    }
    throw new BindException(path, "want an object", null);
  }

  static boolean isNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode();
  }

  static String at(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String string(ObjectNode o, String field, String path) {
    return string(o.get(field), at(path, field));
  }

  static String string(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isTextual()) {
      throw new BindException(path, "want a string", null);
    }
    return n.textValue();
  }

  static int integer(ObjectNode o, String field, String path) {
    long v = longInteger(o, field, path);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new BindException(at(path, field), v + " is out of range", null);
    }
    return (int) v;
  }

  static long longInteger(ObjectNode o, String field, String path) {
    JsonNode n = o.get(field);
    if (isNull(n)) {
      return 0;
    }
    if (!n.isIntegralNumber()) {
      throw new BindException(at(path, field), "want an integer", null);
    }
    if (!n.canConvertToLong()) {
      throw new BindException(at(path, field), n.asText() + " is out of range", null);
    }
    return n.longValue();
  }

  static boolean bool(ObjectNode o, String field, String path) {
    JsonNode n = o.get(field);
    if (isNull(n)) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new BindException(at(path, field), "want true or false", null);
    }
    return n.booleanValue();
  }

  static List<String> strings(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isArray()) {
      throw new BindException(path, "want an array", null);
    }
    List<String> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(string(n.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  static Map<String, String> stringMap(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isObject()) {
      throw new BindException(path, "want an object", null);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      out.put(e.getKey(), string(e.getValue(), path + "." + e.getKey()));
    }
    return out;
  }

  // {"member":{}}: the values carry nothing jbuild uses
  private static Set<String> stringSet(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isObject()) {
      throw new BindException(path, "want an object of the form {\"member\":{}}, got " + n.asToken(), null);
    }
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static Digest digest(JsonNode n, String path) {
    String s = string(n, path);
    return s == null ? null : construct(path, () -> Digest.parse(s));
  }

  private static MediaType mediaType(ObjectNode o, String field, String path) {
    String s = string(o, field, path);
    return s == null ? null : construct(at(path, field), () -> MediaType.parse(s));
  }

  static Instant instant(JsonNode n, String path) {
    String s = string(n, path);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new BindException(path, "\"" + s + "\" is not an RFC 3339 timestamp", e);
    }
  }

  private static Duration duration(JsonNode n, String path) {
    if (isNull(n)) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new BindException(path, "want an integer", null);
    }
    return Duration.ofNanos(n.longValue());
  }

  private static Object fail(String path, String why) {
    throw new BindException(path, why, null);
  }

  /** Runs a model constructor; its complaint becomes a binding problem at {@code path}. */
  static <T> T construct(String path, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (BindException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BindException(path, String.valueOf(e.getMessage()), e);
    }
  }
}
