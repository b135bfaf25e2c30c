package dev.jbuild.store.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) run by a test: a config in a temp dir
 * (filesystem storage there, deletes enabled, {@code http.addr 127.0.0.1:<free port>}, optionally
 * htpasswd basic auth with a bcrypt entry made by {@code htpasswd -B}, or Bearer tokens from a
 * {@link RegistryTokenServer}), started with {@code
 * docker-registry serve CONFIG}, ready once {@code /v2/} answers. {@link #close} kills it.
 *
 * <pre>{@code
 * try (DockerRegistryServer reg = DockerRegistryServer.start(tmp)) { ... reg.host() ... }
 * }</pre>
 */
public final class DockerRegistryServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;
  private final boolean tls;

  private DockerRegistryServer(Process process, int port, Path dir, boolean tls) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.tls = tls;
  }

  /**
   * An open registry serving HTTPS only, with a self-signed certificate for {@code registry.test}
   * (so neither its issuer nor its host name verify) made by {@code openssl req -x509}.
   */
  public static DockerRegistryServer startWithSelfSignedTls(Path dir) throws IOException {
    Files.createDirectories(dir);
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=registry.test", "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (waitFor(p, 60) != 0) {
      throw new IOException("openssl req failed: " + out);
    }
    return start(dir, null, null, null, true);
  }

  /** An open registry storing under {@code dir}. */
  public static DockerRegistryServer start(Path dir) throws IOException {
    return start(dir, null, null, null);
  }

  /** A registry behind Bearer token auth, trusting the tokens of an in-process {@link RegistryTokenServer}. */
  public static DockerRegistryServer startWithTokenAuth(Path dir, RegistryTokenServer tokens) throws IOException {
    return start(dir, null, null, tokens);
  }

  /** A registry behind htpasswd basic auth for one user (needs {@code htpasswd} from apache2-utils). */
  public static DockerRegistryServer startWithHtpasswd(Path dir, String user, String password) throws IOException {
    return start(dir, user, password, null);
  }

  private static DockerRegistryServer start(Path dir, String user, String password, RegistryTokenServer tokens)
      throws IOException {
    return start(dir, user, password, tokens, false);
  }

  private static DockerRegistryServer start(Path dir, String user, String password, RegistryTokenServer tokens,
      boolean tls) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    if (tokens != null) {
      tokens.writeRootCertBundle(dir.resolve("token-root.pem"));
    }
    if (user != null) {
      Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
      String out = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (waitFor(h, 30) != 0) {
        throw new IOException("htpasswd failed: " + out);
      }
      Files.writeString(dir.resolve("htpasswd"), out.strip() + "\n");
    }
    IOException last = null;
    // the free port can be taken between probing and binding: try a few
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      String config = """
          version: 0.1
          log:
            level: warn
            accesslog:
              disabled: true
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          """.formatted(dir.resolve("data"), port);
      if (tls) {
        config += """
              tls:
                certificate: %s
                key: %s
            """.formatted(dir.resolve("tls.crt"), dir.resolve("tls.key"));
      }
      if (user != null) {
        config += """
            auth:
              htpasswd:
                realm: jbuild-test
                path: %s
            """.formatted(dir.resolve("htpasswd"));
      }
      if (tokens != null) {
        config += """
            auth:
              token:
                realm: %s
                service: %s
                issuer: %s
                rootcertbundle: %s
            """.formatted(tokens.realm(), RegistryTokenServer.SERVICE, RegistryTokenServer.ISSUER,
            dir.resolve("token-root.pem"));
      }
      Path cfg = Files.writeString(dir.resolve("config.yml"), config);
      Path log = dir.resolve("registry.log");
      Process p = new ProcessBuilder("docker-registry", "serve", cfg.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      DockerRegistryServer server = new DockerRegistryServer(p, port, dir, tls);
      try {
        server.awaitReady();
        return server;
      } catch (IOException e) {
        server.close();
        last = new IOException(e.getMessage() + "\n" + (Files.exists(log) ? Files.readString(log) : ""), e);
      }
    }
    throw last;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The registry's storage root. */
  public Path dataDir() {
    return dir.resolve("data");
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).timeout(Duration.ofSeconds(2)).build();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("docker-registry exited with status " + process.exitValue());
        }
        try {
          if (tls) {
            // Go listens once it serves: an accepted connection is ready enough, and the test
            // harness has no business trusting the self-signed certificate
            try (java.net.Socket s = new java.net.Socket()) {
              s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
              return;
            }
          }
          int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200 || status == 401) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("waiting for docker-registry");
    }
    throw new IOException("docker-registry did not answer on " + host() + " within 30 s");
  }

  private static int waitFor(Process p, int seconds) throws IOException {
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("process did not exit within " + seconds + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  /** Stops the registry (SIGTERM, then SIGKILL after 5 s) and waits for it. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
