package dev.jbuild.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.jbuild.store.oci.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The OCI image-spec v1.1.1 JSON schemas from {@code shared/conformance/oci-image-spec}, loaded
 * offline into networknt's draft-04 validator with format assertions on (as upstream's validator
 * checks {@code "format": "uri"}). Every schema file is registered under its file name and under
 * every URI listed for it in {@code schema-ids.json}, so all {@code id}s and {@code $ref}s resolve.
 */
public final class OciSchemas {
  private final Map<String, JsonSchema> byMediaType = new HashMap<>();

  private OciSchemas() throws IOException {
    Path dir = Shared.conformance("oci-image-spec");
    JsonNode ids = new ObjectMapper().readTree(dir.resolve("schema-ids.json").toFile());
    Map<String, String> contents = new HashMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("schema"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        String name = f.getFileName().toString();
        contents.put(name, text);
        contents.put(f.toUri().toString(), text);
        ids.path("schemaAliases").path(name).forEach(uri -> contents.put(uri.textValue(), text));
      }
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
        b -> b.schemaLoaders(l -> l.schemas(contents)));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    ids.path("mediaTypeToSchema").properties().forEach(e -> {
      String file = e.getValue().textValue();
      String uri = ids.path("schemaAliases").path(file).get(0).textValue();
      byMediaType.put(e.getKey(), factory.getSchema(SchemaLocation.of(uri), config));
    });
  }

  private static final class Holder {
    static final OciSchemas INSTANCE;

    static {
      try {
        INSTANCE = new OciSchemas();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The shared instance (the schemas never change while tests run). */
  public static OciSchemas get() {
    return Holder.INSTANCE;
  }

  /** The media types a schema exists for (manifest, index, config, descriptor, layout header). */
  public Set<String> mediaTypes() {
    return byMediaType.keySet();
  }

  /**
   * The schema violations of a document of a media type ({@code
   * application/vnd.oci.image.manifest.v1+json}, ...); a document that is not JSON gives one.
   */
  public List<String> violations(String mediaType, String json) {
    JsonSchema schema = byMediaType.get(mediaType);
    if (schema == null) {
      throw new IllegalArgumentException("no schema for media type " + mediaType);
    }
    try {
      Set<ValidationMessage> errors = schema.validate(json, InputFormat.JSON);
      return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (RuntimeException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  public List<String> violations(MediaType mediaType, byte[] json) {
    return violations(mediaType.value(), new String(json, StandardCharsets.UTF_8));
  }
}
