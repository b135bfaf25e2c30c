package dev.jbuild.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.jbuild.runtime.net.HostEntry;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated config.json files validate against the OCI runtime-spec schema (draft-04, relative $refs),
 * and the validator itself accepts the schema's good examples and rejects its bad ones.
 */
class SpecSchemaTest {
  private static final Path SCHEMA_DIR = Shared.conformance("oci-runtime-spec").resolve("schema");

  private static JsonSchema schema() {
    JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    return f.getSchema(SchemaLocation.of(SCHEMA_DIR.resolve("config-schema.json").toUri().toString()));
  }

  static Set<ValidationMessage> validate(String json) throws IOException {
    JsonNode node = RecordJson.mapper().readTree(json);
    return schema().validate(node);
  }

  static Stream<Arguments> specs() {
    ContainerSpec base = ContainerSpec.of("sh", "-c", "echo hi");
    return Stream.of(
        Arguments.of("defaults", base),
        Arguments.of("privileged", base.withSecurity(Security.DEFAULT.withPrivileged(true))),
        Arguments.of("none", base.withNetwork(NetworkMode.NONE)),
        Arguments.of("host", base.withNetwork(NetworkMode.HOST)),
        Arguments.of("limits", base.withLimits(Limits.NONE.withMemory(16 << 20).withCpus(1.5).withPids(100))),
        Arguments.of("caps-unconfined-ro", base.withSecurity(Security.DEFAULT.withCaps(List.of("net_admin"), List.of("ALL"))
            .withSeccomp("unconfined").withNoNewPrivileges(false).withReadOnlyRootfs(true))),
        Arguments.of("volumes-tty-user", base.withVolumes(List.of(Volume.parseBind("/tmp:/data:ro"), new Volume.Tmpfs("/run", "size=1m")))
            .withTerminal(true).withUser("nobody").withWorkdir("/tmp").withEnv("A", "b")
            .withPorts(List.of(PortMapping.parse("127.0.0.1:8080:80"))).withExtraHosts(List.of(HostEntry.parse("db:10.0.0.2")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void generatedConfigValidates(String name, ContainerSpec spec) throws IOException {
    HostLimits limits = HostLimits.parse("Max open files            20000                20000                files\n");
    ResolvedUser user = spec.user().equals("nobody") ? new ResolvedUser(65534, 65534, List.of(100L), "/nonexistent")
        : ResolvedUser.ROOT;
    RuntimeSpec rs = new SpecGenerator(limits).generate(spec, new SpecGenerator.Inputs("rootfs", user, "abc",
        Optional.of(Path.of("/run/jbuild/netns/x")), List.of(new RuntimeSpec.Mount("/etc/hosts", "bind", "/tmp/h",
        List.of("rbind", "rw"))), "/jbuild/x"));
    String json = rs.toJson();
    Set<ValidationMessage> errors = validate(json);
    assertTrue(errors.isEmpty(), () -> name + ": " + errors + "\n" + json);
    assertEquals(rs, RuntimeSpec.parse(json), "round trip");
    // the same text a data-binding mapper writes, and it reads the mapper's
    assertEquals(RecordJson.mapper().writeValueAsString(rs), json);
    assertEquals(rs, RecordJson.mapper().readValue(json, RuntimeSpec.class));
  }

  static Stream<Arguments> schemaExamples() throws IOException {
    Path tests = SCHEMA_DIR.resolve("test/config");
    try (Stream<Path> good = Files.list(tests.resolve("good")); Stream<Path> bad = Files.list(tests.resolve("bad"))) {
      return Stream.concat(good.sorted().map(p -> Arguments.of(p.getFileName().toString(), p, true)),
          bad.sorted().map(p -> Arguments.of(p.getFileName().toString(), p, false))).toList().stream();
    }
  }

  @ParameterizedTest(name = "{0} valid={2}")
  @MethodSource("schemaExamples")
  void schemaOwnExamples(String name, Path file, boolean valid) throws IOException {
    boolean ok;
    try {
      ok = validate(Files.readString(file)).isEmpty();
    } catch (IOException notJson) {
      ok = false;
    }
    assertEquals(valid, ok, name);
  }

  @Test
  void aDamagedConfigIsRejected() throws IOException {
    String json = new SpecGenerator(HostLimits.parse("")).generate(ContainerSpec.of("true"), new SpecGenerator.Inputs(
        "rootfs", ResolvedUser.ROOT, "h", Optional.empty(), List.of(), "/jbuild/x")).toJson();
    Map<String, Object> m = RecordJson.mapper().readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> process = (Map<String, Object>) m.get("process");
    process.put("cwd", 42);
    assertFalse(validate(RecordJson.mapper().writeValueAsString(m)).isEmpty());
  }
}
