package dev.jbuild.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNI protocol against fake plugins (shell scripts) that record their environment and stdin:
 * ADD in order with prevResult chaining and capability-filtered runtimeConfig, DEL in reverse, errors.
 */
class CniInvokerTest {
  @TempDir Path dir;

  private void plugin(String name, String result) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n"
        + "cat > \"" + dir + "/" + name + ".$CNI_COMMAND.stdin\"\n"
        + "echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_PATH\" >> \"" + dir + "/calls\"\n"
        + "echo '" + result + "'\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void addChainsResultsAndDelRunsInReverse() throws IOException {
    plugin("first", "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\"}]}");
    plugin("second", "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\"}],\"x\":1}");
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"first\",\"k\":\"v\"},"
        + "{\"type\":\"second\",\"capabilities\":{\"portMappings\":true}}]}";
    CniInvoker cni = new CniInvoker(List.of(dir));
    JsonNode rc = JsonMapper.builder().build().readTree("{\"portMappings\":[{\"hostPort\":1,\"containerPort\":2}],\"other\":1}");
    String result = cni.add(conf, "cid", Path.of("/proc/self/ns/net"), "eth0", rc);
    assertEquals(1, JsonMapper.builder().build().readTree(result).path("x").asInt());

    JsonNode firstIn = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("first.ADD.stdin")));
    assertEquals("n", firstIn.path("name").asText());
    assertEquals("v", firstIn.path("k").asText());
    assertTrue(firstIn.path("prevResult").isMissingNode());
    assertTrue(firstIn.path("runtimeConfig").isMissingNode(), "no capability declared");
    JsonNode secondIn = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("second.ADD.stdin")));
    assertEquals("10.1.0.2/24", secondIn.path("prevResult").path("ips").get(0).path("address").asText());
    assertEquals(1, secondIn.path("runtimeConfig").path("portMappings").get(0).path("hostPort").asInt());
    assertTrue(secondIn.path("runtimeConfig").path("other").isMissingNode());

    cni.del(conf, "cid", Path.of("/proc/self/ns/net"), "eth0", rc, result);
    List<String> calls = Files.readAllLines(dir.resolve("calls"));
    assertEquals(List.of("ADD cid /proc/self/ns/net eth0 " + dir, "ADD cid /proc/self/ns/net eth0 " + dir,
        "DEL cid /proc/self/ns/net eth0 " + dir, "DEL cid /proc/self/ns/net eth0 " + dir), calls);
    JsonNode firstDel = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("first.DEL.stdin")));
    assertEquals(1, firstDel.path("prevResult").path("x").asInt(), "DEL gets the cached final result");
  }

  @Test
  void pluginErrorsCarryCodeAndMessage() throws IOException {
    Path p = dir.resolve("failing");
    Files.writeString(p, "#!/bin/sh\ncat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"try again\",\"details\":\"busy\"}'\nexit 1\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    CniInvoker cni = new CniInvoker(List.of(dir));
    CniException e = assertThrows(CniException.class, () -> cni.add(
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"failing\"}]}", "c", Path.of("/x"), "eth0", null));
    assertEquals(11, e.code());
    assertTrue(e.getMessage().contains("try again: busy"), e.getMessage());
    assertThrows(CniException.class, () -> cni.plugin("absent"));
  }
}
