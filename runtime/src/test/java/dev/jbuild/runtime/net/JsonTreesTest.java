package dev.jbuild.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTreesTest {
  @Test
  void writesWhatItReads() throws IOException {
    String json = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.218.0.5/24\",\"gateway\":\"10.218.0.1\"}],"
        + "\"n\":-12,\"big\":123456789012345678901234567890,\"f\":1.5,\"t\":true,\"nil\":null,\"s\":\"a\\\"b\\u00e9\"}";
    JsonNode tree = JsonTrees.read(json, "test");
    assertEquals(json.replace("\\u00e9", "\u00e9"), JsonTrees.string(tree));
    assertEquals(tree, JsonTrees.read(JsonTrees.string(tree), "again"));
  }

  @Test
  void malformedInputNamesWhatWasRead() {
    IOException e = assertThrows(IOException.class, () -> JsonTrees.read("{\"a\":", "result of CNI plugin bridge"));
    assertTrue(e.getMessage().startsWith("result of CNI plugin bridge: "), e.getMessage());
  }

  @Test
  void conflistIsValidJsonWithPortmapOnlyWhenAsked() throws IOException {
    BridgeNetwork net = new BridgeNetwork("bridge", "jbuild0", "10.218.0.0/24", "10.218.0.1",
        java.nio.file.Path.of("/run/jbuild/cni/networks"));
    JsonNode with = JsonTrees.read(net.conflist(true), "conflist");
    JsonNode without = JsonTrees.read(net.conflist(false), "conflist");
    assertEquals(2, with.path("plugins").size());
    assertEquals(1, without.path("plugins").size());
    assertEquals("10.218.0.0/24", with.at("/plugins/0/ipam/ranges/0/0/subnet").asText());
    JsonNode rc = JsonTrees.read(BridgeNetwork.runtimeConfig(List.of(PortMapping.parse("127.0.0.1:8080:80"))), "rc");
    assertEquals("127.0.0.1", rc.at("/portMappings/0/hostIP").asText());
    assertEquals(8080, rc.at("/portMappings/0/hostPort").asInt());
    ObjectNode empty = JsonTrees.object();
    assertEquals("{}", JsonTrees.string(empty));
  }
}
