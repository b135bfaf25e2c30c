package dev.jbuild.runtime.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbuild.store.oci.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's JSON ({@code config.json}, {@code state.json}) for its records, written with
 * jackson-core's streaming generator and read from the store's {@link JsonReader} trees: a record is
 * an object of its components in declaration order, and
 * the few Jackson annotations these records carry are honoured ({@code @JsonInclude} NON_NULL and
 * NON_EMPTY, {@code @JsonTypeInfo}/{@code @JsonSubTypes} by a property, {@code @JsonValue} with a
 * {@code @JsonCreator} factory). Paths are file URIs, enums their names, as a data-binding mapper writes
 * them, so files either one wrote read the same.
 *
 * <p>Why not the mapper: its introspection of every record type costs a one-shot {@code jbuild run}
 * more than all its JSON work. This walks a record with plain reflection instead.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  private RecordJson() {}

  /**
   * A data-binding mapper configured as the runtime's JSON always was (unknown fields ignored,
   * indented output), built on first use; for trees and types this class does not model.
   */
  public static ObjectMapper mapper() {
    return Mapper.MAPPER;
  }

  private static final class Mapper {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();
  }

  /** The JSON of a value (records, lists, maps, strings, numbers, booleans, enums, paths); indented when asked. */
  public static byte[] write(Object value, boolean indent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (indent) {
        g.useDefaultPrettyPrinter();
      }
      write(g, value);
    } catch (IOException e) {
      throw new IllegalStateException("[internal error] serialising " + value.getClass().getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /** Reads a document into {@code type}; unknown fields are ignored, absent ones null (or 0, false). */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    JsonNode tree = JsonReader.read(json);
    if (tree == null) {
      throw new IOException("empty JSON document");
    }
    return type.cast(read(tree, type, "$"));
  }

  // ---------------------------------------------------------------------------------------------

  /** What reflection tells about a record (or a sealed interface of records), once per class. */
  private record Shape(RecordComponent[] components, Method[] accessors, Constructor<?> constructor,
      JsonInclude.Include include, String typeProperty, String typeName, Map<String, Class<?>> subtypes,
      Method jsonValue, Method jsonCreator) {}

  private static Shape shape(Class<?> c) {
    Shape s = SHAPES.get(c);
    if (s == null) {
      s = inspect(c);
      SHAPES.put(c, s);
    }
    return s;
  }

  private static Shape inspect(Class<?> c) {
    Method jsonValue = null;
    Method jsonCreator = null;
    for (Method m : c.getDeclaredMethods()) {
      if (m.isAnnotationPresent(JsonValue.class)) {
        jsonValue = m;
      } else if (m.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(m.getModifiers())) {
        jsonCreator = m;
      }
    }
    if (jsonValue != null && jsonCreator != null) {
      return new Shape(null, null, null, null, null, null, null, jsonValue, jsonCreator);
    }
    // a sealed interface: its subtypes by name, the name in a property
    Class<?> base = c.isInterface() ? c : null;
    for (Class<?> i : c.getInterfaces()) {
      if (i.isAnnotationPresent(JsonTypeInfo.class)) {
        base = i;
      }
    }
    String typeProperty = null;
    String typeName = null;
    Map<String, Class<?>> subtypes = null;
    if (base != null && base.isAnnotationPresent(JsonTypeInfo.class)) {
      typeProperty = base.getAnnotation(JsonTypeInfo.class).property();
      subtypes = new LinkedHashMap<>();
      for (JsonSubTypes.Type t : base.getAnnotation(JsonSubTypes.class).value()) {
        subtypes.put(t.name(), t.value());
        if (t.value() == c) {
          typeName = t.name();
        }
      }
    }
    if (c.isInterface()) {
      return new Shape(null, null, null, null, typeProperty, null, subtypes, null, null);
    }
    if (!c.isRecord()) {
      throw new IllegalArgumentException("[internal error] no JSON form for " + c.getName());
    }
    RecordComponent[] rc = c.getRecordComponents();
    Method[] accessors = new Method[rc.length];
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      accessors[i] = rc[i].getAccessor();
      accessors[i].setAccessible(true);
      types[i] = rc[i].getType();
    }
    try {
      Constructor<?> ctor = c.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      JsonInclude inc = c.getAnnotation(JsonInclude.class);
      return new Shape(rc, accessors, ctor, inc == null ? JsonInclude.Include.ALWAYS : inc.value(),
          typeProperty, typeName, subtypes, null, null);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("[internal error] record " + c.getName() + " has no canonical constructor", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private static void write(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Path p -> g.writeString(p.toUri().toString());
      case Enum<?> e -> g.writeString(e.name());
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object e : c) {
          write(g, e);
        }
        g.writeEndArray();
      }
      default -> writeRecord(g, v);
    }
  }

  private static void writeRecord(JsonGenerator g, Object v) throws IOException {
    Shape s = shape(v.getClass());
    if (s.jsonValue() != null) {
      write(g, invoke(s.jsonValue(), v));
      return;
    }
    g.writeStartObject();
    if (s.typeName() != null) {
      g.writeStringField(s.typeProperty(), s.typeName());
    }
    for (int i = 0; i < s.components().length; i++) {
      Object x = invoke(s.accessors()[i], v);
      if (left(s.include(), x)) {
        continue;
      }
      g.writeFieldName(s.components()[i].getName());
      write(g, x);
    }
    g.writeEndObject();
  }

  private static boolean left(JsonInclude.Include inc, Object x) {
    return switch (inc) {
      case NON_NULL -> x == null;
      case NON_EMPTY -> x == null
          || x instanceof String s && s.isEmpty()
          || x instanceof Collection<?> c && c.isEmpty()
          || x instanceof Map<?, ?> m && m.isEmpty();
      default -> false;
    };
  }

  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("[internal error] " + m, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading, from a tree ({@code at}: where in the document, for messages)

  private static Object read(JsonNode n, Type type, String at) throws IOException {
    Class<?> raw = raw(type);
    if (n.isNull()) {
      return primitiveDefault(raw);
    }
    if (raw == String.class) {
      return expect(n, n.isTextual(), "a string", at).textValue();
    } else if (raw == boolean.class || raw == Boolean.class) {
      return expect(n, n.isBoolean(), "true or false", at).booleanValue();
    } else if (raw == int.class || raw == Integer.class) {
      return expect(n, n.isInt(), "an integer", at).intValue();
    } else if (raw == long.class || raw == Long.class) {
      return expect(n, n.isInt() || n.isLong(), "an integer", at).longValue();
    } else if (raw == double.class || raw == Double.class) {
      return expect(n, n.isNumber(), "a number", at).doubleValue();
    } else if (raw == Path.class) {
      return path(expect(n, n.isTextual(), "a string", at).textValue());
    } else if (raw.isEnum()) {
      String name = expect(n, n.isTextual(), "a string", at).textValue();
      for (Object c : raw.getEnumConstants()) {
        if (((Enum<?>) c).name().equals(name)) {
          return c;
        }
      }
      throw new IOException("unknown " + raw.getSimpleName() + " " + name + " at " + at);
    } else if (List.class.isAssignableFrom(raw) || raw == Collection.class) {
      expect(n, n.isArray(), "an array", at);
      Type element = arg(type, 0);
      List<Object> out = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        out.add(read(n.get(i), element, at + "[" + i + "]"));
      }
      return out;
    } else if (Map.class.isAssignableFrom(raw)) {
      expect(n, n.isObject(), "an object", at);
      Type value = arg(type, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        out.put(e.getKey(), read(e.getValue(), value, at + "." + e.getKey()));
      }
      return out;
    }
    return readRecord(n, raw, at);
  }

  private static Object readRecord(JsonNode n, Class<?> c, String at) throws IOException {
    Shape s = shape(c);
    if (s.jsonCreator() != null) {
      return invoke(s.jsonCreator(), null, read(n, s.jsonCreator().getGenericParameterTypes()[0], at));
    }
    expect(n, n.isObject(), "an object", at);
    if (c.isInterface()) {
      JsonNode kind = n.get(s.typeProperty());
      if (kind == null || !kind.isTextual()) {
        throw new IOException("want the " + c.getSimpleName() + " property \"" + s.typeProperty() + "\" at " + at);
      }
      Class<?> sub = s.subtypes().get(kind.textValue());
      if (sub == null) {
        throw new IOException("unknown " + c.getSimpleName() + " " + s.typeProperty() + " \"" + kind.textValue() + "\" at " + at);
      }
      return readFields(n, sub, at);
    }
    return readFields(n, c, at);
  }

  // the fields of a record from an object; unknown fields (and the type property) are left alone
  private static Object readFields(JsonNode n, Class<?> c, String at) throws IOException {
    Shape s = shape(c);
    RecordComponent[] rc = s.components();
    Object[] args = new Object[rc.length];
    for (int i = 0; i < rc.length; i++) {
      JsonNode v = n.get(rc[i].getName());
      args[i] = v == null ? primitiveDefault(rc[i].getType()) : read(v, rc[i].getGenericType(), at + "." + rc[i].getName());
    }
    try {
      return s.constructor().newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("[internal error] constructing " + c.getName(), e);
    }
  }

  private static JsonNode expect(JsonNode n, boolean ok, String want, String at) throws IOException {
    if (!ok) {
      throw new IOException("want " + want + " at " + at + ", got " + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    return n;
  }

  // what a data-binding mapper wrote for a Path: a file URI; a plain path reads as itself
  private static Path path(String s) throws IOException {
    if (s.startsWith("/")) {
      return Path.of(s);
    }
    try {
      return Path.of(new URI(s));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a path: " + s, e);
    }
  }

  private static Object primitiveDefault(Class<?> c) {
    if (c == boolean.class) {
      return false;
    } else if (c == int.class) {
      return 0;
    } else if (c == long.class) {
      return 0L;
    } else if (c == double.class) {
      return 0.0;
    }
    return null;
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    } else if (t instanceof ParameterizedType pt) {
      return (Class<?>) pt.getRawType();
    }
    throw new IllegalArgumentException("[internal error] no JSON form for " + t);
  }

  private static Type arg(Type t, int i) {
    return t instanceof ParameterizedType pt ? pt.getActualTypeArguments()[i] : Object.class;
  }
}
