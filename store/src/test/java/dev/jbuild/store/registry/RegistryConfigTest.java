package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.StoreRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigTest {
  @TempDir Path tmp;

  @Test
  void missingFileMeansNoMirrors() throws IOException {
    RegistryConfig c = RegistryConfig.load(tmp.resolve("none.json"));
    assertEquals(RegistryConfig.EMPTY, c);
    assertEquals(List.of("https://registry-1.docker.io"),
        c.pullEndpoints("docker.io").stream().map(e -> e.base().toString()).toList());
  }

  @Test
  void mirrorsComeFirstInOrderThenTheRegistry() throws IOException {
    Path f = Files.writeString(tmp.resolve("c.json"), """
        {"registry-mirrors": {"index.docker.io": ["http://127.0.0.1:5000", "mirror.lan:5001/", "https://m.example.com"]},
         "insecure-registries": ["mirror.lan:5001", "Reg.Lan"], "other-setting": 1}""");
    RegistryConfig c = RegistryConfig.load(f);
    // insecure hosts: HTTPS without verification (the client falls back to HTTP when they do not speak TLS)
    assertEquals(List.of("http://127.0.0.1:5000", "https://mirror.lan:5001", "https://m.example.com", "https://registry-1.docker.io"),
        c.pullEndpoints("docker.io").stream().map(e -> e.base().toString()).toList());
    assertEquals(List.of(true, false, true, true), c.pullEndpoints("docker.io").stream().map(RegistryEndpoint::tlsVerify).toList());
    assertEquals(List.of("https://reg.lan"), c.pullEndpoints("reg.lan").stream().map(e -> e.base().toString()).toList());
    assertFalse(c.endpoint("reg.lan").tlsVerify());
    assertEquals("https://quay.io", c.endpoint("quay.io").base().toString());
    assertTrue(c.withInsecure(List.of("quay.io")).endpoint("quay.io").insecure());
  }

  @Test
  void badFilesFailWithThePlace() throws IOException {
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"registry-mirrors\": {\"docker.io\": [\"http://h/with/path\"]}}");
    JbuildException e = assertThrows(JbuildException.class, () -> RegistryConfig.load(bad));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("without a path"), e.getMessage());
    Path notList = Files.writeString(tmp.resolve("nl.json"), "{\"registry-mirrors\": {\"docker.io\": \"x\"}}");
    assertThrows(JbuildException.class, () -> RegistryConfig.load(notList));
    Path notJson = Files.writeString(tmp.resolve("nj.json"), "{");
    assertThrows(JbuildException.class, () -> RegistryConfig.load(notJson));
  }

  @Test
  void locateHonoursJbuildConfigElseTheStore() {
    StoreRoot root = StoreRoot.of(tmp.resolve("root"));
    assertEquals(tmp.resolve("root/config.json"), RegistryConfig.locate(Map.of(), root));
    assertEquals(Path.of("/etc/x.json"), RegistryConfig.locate(Map.of("JBUILD_CONFIG", "/etc/x.json"), root));
  }
}
