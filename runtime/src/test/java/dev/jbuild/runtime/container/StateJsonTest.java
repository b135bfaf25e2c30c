package dev.jbuild.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.net.Attachment;
import dev.jbuild.runtime.net.HostEntry;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Limits;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.RecordJson;
import dev.jbuild.runtime.spec.Security;
import dev.jbuild.runtime.spec.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** state.json through {@link RecordJson}: the bytes a data-binding mapper writes, and either one's files read back. */
class StateJsonTest {
  static ContainerState full() {
    ContainerId id = ContainerId.parse("ab".repeat(32));
    ContainerSpec spec = ContainerSpec.of("sh", "-c", "echo \"hi\"\n")
        .withVolumes(List.of(Volume.parseBind("/a:/b:ro"), new Volume.Tmpfs("/run", "size=1m"), new Volume.Anonymous("/data")))
        .withPorts(List.of(PortMapping.parse("127.0.0.1:8080:80/udp")))
        .withExtraHosts(List.of(HostEntry.parse("db:10.0.0.2")))
        .withEnv("A", "é")
        .withTerminal(true)
        .withLimits(new Limits(64L << 20, 1.5, null))
        .withSecurity(new Security(false, List.of("NET_ADMIN"), List.of(), "unconfined", false, true));
    Attachment att = new Attachment(id.hex(), Path.of("/run/jbuild/netns/x"), "eth0", "{\"cniVersion\":\"1.0.0\"}", null, null);
    return new ContainerState(id, "web", "2026-01-01T00:00:00Z", spec, List.of(Path.of("/l1"), Path.of("/l 2")), "bridge",
        ContainerState.EXITED, 1L, 2L, null, true, false, 137, "2026-01-01T00:00:01Z", "10.88.0.2",
        List.of(PortMapping.parse("8080:80")),
        List.of(new Resource.OverlayRootfs(Path.of("/c/rootfs")), new Resource.PinnedNetNs(Path.of("/run/n")),
            new Resource.CniAttachment(att), new Resource.RuncContainer(id.hex(), Path.of("/run/jbuild/runc")),
            new Resource.Directory(Path.of("/c/scratch"))));
  }

  @Test
  void writesWhatTheMapperWritesAndReadsBoth() throws IOException {
    ContainerState s = full();
    byte[] ours = RecordJson.write(s, true);
    byte[] mapper = RecordJson.mapper().writeValueAsBytes(s);
    assertEquals(new String(mapper, StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8));
    assertEquals(s, RecordJson.read(ours, ContainerState.class));
    assertEquals(s, RecordJson.mapper().readValue(ours, ContainerState.class));
    ContainerState minimal = new ContainerState(s.id(), null, "t", ContainerSpec.of("true"), null, "none",
        ContainerState.CREATED, null, null, 5L, false, true, null, null, null, null, null);
    assertEquals(minimal, RecordJson.read(RecordJson.mapper().writeValueAsBytes(minimal), ContainerState.class));
    assertEquals(NetworkMode.BRIDGE, RecordJson.read(ours, ContainerState.class).spec().network());
  }

  @Test
  void unknownFieldsAreIgnoredAndDamageIsAnError() throws IOException {
    String json = new String(RecordJson.write(full(), false), StandardCharsets.UTF_8);
    assertEquals(full(), RecordJson.read(("{\"future\":[1,{\"x\":2}]," + json.substring(1)).getBytes(StandardCharsets.UTF_8),
        ContainerState.class));
    assertThrows(IOException.class, () -> RecordJson.read(json.replace("\"kind\":\"dir\"", "\"kind\":\"disk\"")
        .getBytes(StandardCharsets.UTF_8), ContainerState.class));
    IOException e = assertThrows(IOException.class, () -> RecordJson.read(json.replace("\"detached\":true", "\"detached\":\"yes\"")
        .getBytes(StandardCharsets.UTF_8), ContainerState.class));
    assertTrue(e.getMessage().startsWith("want true or false"), e.getMessage());
    assertThrows(IOException.class, () -> RecordJson.read(json.substring(0, json.length() - 1).getBytes(StandardCharsets.UTF_8),
        ContainerState.class));
    assertThrows(IOException.class, () -> RecordJson.read((json + "{}").getBytes(StandardCharsets.UTF_8), ContainerState.class));
  }
}
