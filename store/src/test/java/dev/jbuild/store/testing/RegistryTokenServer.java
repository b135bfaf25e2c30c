package dev.jbuild.store.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process token server for the distribution spec's Bearer flow, for a real {@code
 * docker-registry} configured with {@code auth.token}: on {@code GET /token?service=..&scope=..}
 * it checks basic credentials (when configured) and answers {@code {"token": JWT}}, an RS256 JWT
 * whose {@code x5c} header carries a self-signed certificate (made by the JDK's {@code keytool})
 * that {@link #writeRootCertBundle} gives the registry as its trust root. Every requested action is
 * granted. Listens on {@code 127.0.0.1:<ephemeral>}.
 */
public final class RegistryTokenServer implements AutoCloseable {
  public static final String SERVICE = "jbuild-test-registry";
  public static final String ISSUER = "jbuild-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final String user;
  private final String password;
  private final AtomicInteger requests = new AtomicInteger();

  private RegistryTokenServer(PrivateKey key, X509Certificate cert, String user, String password) throws IOException {
    this.key = key;
    this.cert = cert;
    this.user = user;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  /**
   * Starts a token server with a fresh key pair in {@code dir}.
   *
   * @param user the user whose basic credentials are required, or null to issue tokens to anyone
   */
  public static RegistryTokenServer start(Path dir, String user, String password) throws IOException {
    Files.createDirectories(dir);
    Path ks = dir.resolve("token.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
        "-sigalg", "SHA256withRSA", "-dname", "CN=jbuild-test-token", "-validity", "2", "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool failed: " + out);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try (InputStream in = Files.newInputStream(ks)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, "changeit".toCharArray());
      return new RegistryTokenServer((PrivateKey) store.getKey("token", "changeit".toCharArray()),
          (X509Certificate) store.getCertificate("token"), user, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("loading the token key", e);
    }
  }

  /** {@code http://127.0.0.1:PORT/token}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** Writes the certificate as PEM, for the registry's {@code auth.token.rootcertbundle}. */
  public Path writeRootCertBundle(Path file) throws IOException {
    try {
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      return Files.writeString(file, pem);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** Token requests served so far (granted or not). */
  public int requests() {
    return requests.get();
  }

  private void token(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String subject = "";
      if (user != null) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String want = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!want.equals(h)) {
          byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username or password\"}]}"
              .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(401, body.length);
          ex.getResponseBody().write(body);
          return;
        }
        subject = user;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      for (String part : query == null ? new String[0] : query.split("&")) {
        if (!part.startsWith("scope=")) {
          continue;
        }
        for (String scope : URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(" ")) {
          // type:name:actions, where the name may itself hold a port-less path
          int first = scope.indexOf(':');
          int last = scope.lastIndexOf(':');
          if (first < 0 || last <= first) {
            continue;
          }
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("type", scope.substring(0, first));
          a.put("name", scope.substring(first + 1, last));
          a.put("actions", List.of(scope.substring(last + 1).split(",")));
          access.add(a);
        }
      }
      long now = System.currentTimeMillis() / 1000;
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", ISSUER);
      claims.put("sub", subject);
      claims.put("aud", SERVICE);
      claims.put("exp", now + 300);
      claims.put("nbf", now - 60);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("typ", "JWT");
      header.put("alg", "RS256");
      header.put("x5c", List.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
          + b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(key);
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + b64.encodeToString(sig.sign());
      byte[] body = JSON.writeValueAsBytes(Map.of("token", jwt, "expires_in", 300));
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      throw new IOException("signing a token", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
