package dev.jbuild.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetTest {
  @Test
  void portMappingsParseAndPrintBack() {
    assertEquals(new PortMapping("127.0.0.1", 8080, 80, "tcp"), PortMapping.parse("127.0.0.1:8080:80"));
    assertEquals(new PortMapping("", 53, 5353, "udp"), PortMapping.parse("53:5353/udp"));
    assertEquals(new PortMapping("::1", 1, 2, "tcp"), PortMapping.parse("[::1]:1:2"));
    for (String s : List.of("127.0.0.1:8080:80/tcp", "53:5353/udp", "[::1]:1:2/tcp")) {
      assertEquals(s, PortMapping.parse(s).toString());
    }
    assertThrows(JbuildException.class, () -> PortMapping.parse("80"));
    assertThrows(JbuildException.class, () -> PortMapping.parse("0:80"));
    assertThrows(JbuildException.class, () -> PortMapping.parse("1:80/icmp"));
    assertEquals(new HostEntry("db", "10.1.2.3"), HostEntry.parse("db:10.1.2.3"));
  }

  @Test
  void bridgeConfigList() throws IOException {
    BridgeNetwork b = BridgeNetwork.defaults();
    assertEquals("10.218.0.1", b.gateway());
    JsonNode n = JsonMapper.builder().build().readTree(b.conflist());
    assertEquals("1.0.0", n.path("cniVersion").asText());
    JsonNode br = n.path("plugins").get(0);
    assertEquals("jbuild0", br.path("bridge").asText());
    assertTrue(br.path("isGateway").asBoolean() && br.path("hairpinMode").asBoolean());
    // NAT is jbuild's one shared rule, not the plugin's per-container chains
    assertFalse(br.path("ipMasq").asBoolean());
    assertEquals(Optional.of(new SharedMasquerade("jbuild", "10.218.0.0/24", "jbuild0",
        Path.of("/run/jbuild/cni/masquerade/jbuild"))), SharedMasquerade.of(n));
    assertEquals(List.of("POSTROUTING", "-s", "10.218.0.0/24", "!", "-o", "jbuild0", "-m", "comment", "--comment",
        "jbuild masquerade jbuild", "-j", "MASQUERADE"), b.masquerade().rule());
    assertEquals(Optional.empty(), SharedMasquerade.of(JsonMapper.builder().build().readTree(
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jbuild\",\"plugins\":[]}")), "a list from before the shared rule");
    assertEquals("10.218.0.0/24", br.path("ipam").path("ranges").get(0).get(0).path("subnet").asText());
    assertEquals("/run/jbuild/cni/networks", br.path("ipam").path("dataDir").asText());
    assertEquals("portmap", n.path("plugins").get(1).path("type").asText());
    JsonNode rc = JsonMapper.builder().build().readTree(BridgeNetwork.runtimeConfig(List.of(PortMapping.parse("127.0.0.1:8080:80"))));
    assertEquals("127.0.0.1", rc.path("portMappings").get(0).path("hostIP").asText());
    assertEquals(8080, rc.path("portMappings").get(0).path("hostPort").asInt());
  }

  @Test
  void resolvConfDropsLoopbackAndNeverInventsServers() {
    String host = "search example.org\nnameserver 127.0.0.53\nnameserver 10.1.1.1\noptions edns0\n";
    String r = DnsFiles.resolvConf(host, "", List.of(), false);
    assertTrue(r.contains("nameserver 10.1.1.1"));
    assertFalse(r.contains("127.0.0.53"));
    assertTrue(r.contains("search example.org"));
    String onlyLoop = DnsFiles.resolvConf("nameserver 127.0.0.53\n", "", List.of(), false);
    assertFalse(onlyLoop.matches("(?s).*(^|\n)nameserver .*"), onlyLoop);
    assertTrue(DnsFiles.resolvConf("nameserver 127.0.0.53\n", "nameserver 192.0.2.53\n", List.of(), false)
        .contains("nameserver 192.0.2.53"));
    String overridden = DnsFiles.resolvConf(host, "", List.of("10.9.9.9"), false);
    assertTrue(overridden.contains("nameserver 10.9.9.9") && !overridden.contains("10.1.1.1"));
    assertEquals(host, DnsFiles.resolvConf(host, "", List.of(), true));
  }

  @Test
  void hostsFile() {
    String h = DnsFiles.hosts("web", Optional.of("10.218.0.5"), List.of(HostEntry.parse("db:10.0.0.9")));
    assertTrue(h.startsWith("127.0.0.1\tlocalhost\n"));
    assertTrue(h.contains("10.218.0.5\tweb\n"));
    assertTrue(h.contains("10.0.0.9\tdb\n"));
  }

  @Test
  void cniResultParsing() throws IOException {
    CniResult r = CniResult.parse("""
        {"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],
         "ips":[{"interface":0,"address":"10.218.0.7/24","gateway":"10.218.0.1"}]}""");
    assertEquals(Optional.of("10.218.0.7"), r.ipv4());
    assertEquals("10.218.0.1", r.ips().get(0).gateway());
  }

  @Test
  void pluginDirsFollowCniPath() {
    assertEquals(List.of(Path.of("/a"), Path.of("/b"), Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")),
        CniInvoker.defaultPluginDirs(java.util.Map.of("CNI_PATH", "/a:/b")));
  }
}
