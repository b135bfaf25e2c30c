package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryEndpointTest {
  @Test
  void httpsByDefault() {
    RegistryEndpoint e = RegistryEndpoint.of("quay.io");
    assertEquals(URI.create("https://quay.io"), e.base());
    assertFalse(e.insecure());
    assertEquals(URI.create("https://quay.io/v2/"), e.resolve("/v2/"));
  }

  @Test
  void loopbackNamesUsePlainHttpOnAnyPort() {
    for (String h : new String[] {"localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:38001", "[::1]", "[::1]:5000"}) {
      RegistryEndpoint e = RegistryEndpoint.of(h);
      assertTrue(e.insecure(), h);
      assertEquals(URI.create("http://" + h), e.base());
    }
    assertFalse(RegistryEndpoint.of("localhost.example.com").insecure());
  }

  @Test
  void insecureRegistriesByHostOrHostAndPort() {
    assertTrue(RegistryEndpoint.of("reg.lan:5000", Set.of("reg.lan")).insecure());
    assertTrue(RegistryEndpoint.of("reg.lan:5000", Set.of("reg.lan:5000")).insecure());
    assertFalse(RegistryEndpoint.of("reg.lan:5000", Set.of("reg.lan:6000")).insecure());
    assertTrue(RegistryEndpoint.of("quay.io", Set.of("*")).insecure(), "* is every host");
  }

  @Test
  void insecureMeansHttpsWithoutVerificationFirst() {
    RegistryEndpoint e = RegistryEndpoint.of("reg.lan:5000", Set.of("reg.lan"));
    assertEquals(URI.create("https://reg.lan:5000"), e.base());
    assertFalse(e.tlsVerify());
    assertFalse(e.plainHttp());
    RegistryEndpoint plain = e.overPlainHttp();
    assertEquals(URI.create("http://reg.lan:5000"), plain.base());
    assertEquals("reg.lan:5000", plain.name());
    // a loopback host listed as insecure is probed too: it may serve TLS with a self-signed certificate
    assertEquals(URI.create("https://127.0.0.1:5000"), RegistryEndpoint.of("127.0.0.1:5000", Set.of("127.0.0.1")).base());
    assertTrue(RegistryEndpoint.of("quay.io").tlsVerify());
  }

  @Test
  void dockerHubIsServedByRegistry1() {
    for (String h : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io"}) {
      RegistryEndpoint e = RegistryEndpoint.of(h);
      assertEquals("docker.io", e.name());
      assertEquals(URI.create("https://registry-1.docker.io"), e.base());
    }
  }

  @Test
  void rejectsNonHosts() {
    assertThrows(IllegalArgumentException.class, () -> RegistryEndpoint.of("quay.io/foo"));
    assertThrows(IllegalArgumentException.class, () -> RegistryEndpoint.of(" quay.io"));
    assertThrows(IllegalArgumentException.class, () -> RegistryEndpoint.of(""));
  }
}
