package dev.jbuild.store.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The wire form of the image spec's string sets ({@code ExposedPorts}, {@code Volumes}): a JSON
 * object whose keys are the members and whose values are empty objects, {@code {"80/tcp":{}}}.
 */
final class StringSetJson {
  private StringSetJson() {}

  /** Writes a set as {@code {"member":{},...}}, members sorted. */
  static void write(JsonGenerator g, Set<String> set) throws IOException {
    g.writeStartObject();
    for (String s : new TreeSet<>(set)) {
      g.writeFieldName(s);
      g.writeStartObject();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  static final class Writer extends JsonSerializer<Set<String>> {
    @Override
    public void serialize(Set<String> set, JsonGenerator g, SerializerProvider p) throws IOException {
      write(g, set);
    }

    @Override
    public boolean isEmpty(SerializerProvider p, Set<String> set) {
      return set == null || set.isEmpty();
    }
  }

  static final class Reader extends JsonDeserializer<Set<String>> {
    @Override
    public Set<String> deserialize(JsonParser p, DeserializationContext c) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("want an object of the form {\"member\":{}}, got " + p.currentToken());
      }
      Set<String> out = new TreeSet<>();
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        out.add(p.currentName());
        p.nextToken();
        // docker writes {} as the value; anything else carries nothing jbuild uses
        p.skipChildren();
      }
      return out;
    }
  }
}
