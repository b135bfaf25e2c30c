package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The HTTPS-or-HTTP decision for insecure registries, against in-process loopback sockets. */
class TlsProbeTest {
  @Test
  void aHostAnsweringTheHandshakeWithHttpIsReachedOverPlainHttp() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.read(new byte[512]);
          out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
          // the probe closed first: fine
        }
      });
      RegistryEndpoint e = RegistryEndpoint.of("127.0.0.1:" + server.getLocalPort(), Set.of("127.0.0.1"));
      RegistryEndpoint got = TlsProbe.settle(e, Duration.ofSeconds(5));
      assertEquals(URI.create("http://127.0.0.1:" + server.getLocalPort()), got.base());
      t.join();
    }
  }

  @Test
  void aHostThatNeverAnswersIsTakenForPlainHttpAfterTheTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RegistryEndpoint e = RegistryEndpoint.of("127.0.0.1:" + server.getLocalPort(), Set.of("*"));
      assertEquals("http", TlsProbe.settle(e, Duration.ofMillis(300)).base().getScheme());
    }
  }

  @Test
  void anUnreachableHostStaysHttpsAndVerifiedEndpointsAreNotProbed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RegistryEndpoint closed = RegistryEndpoint.of("127.0.0.1:" + port, Set.of("127.0.0.1"));
    assertSame(closed, TlsProbe.settle(closed, Duration.ofSeconds(2)));
    RegistryEndpoint verified = RegistryEndpoint.of("quay.io");
    assertSame(verified, TlsProbe.settle(verified, Duration.ofSeconds(2)), "no traffic: returned as it is");
  }
}
