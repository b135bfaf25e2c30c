package dev.jbuild.cli.command;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest registry {@code jbuild push} and {@code pull} can talk to, in memory and on
 * 127.0.0.1 only, for {@code aot-train}: the start-up path of both commands (HTTP client, upload,
 * manifest, verified download into the store) is then in the AOT cache. Not a registry for anything
 * else: no auth, no ranges, no deletes, a manifest's media type taken from the request.
 */
final class TrainingRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  private final AtomicInteger uploads = new AtomicInteger();

  TrainingRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  /** host:port to push to and pull from. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (path.equals("/v2/")) {
        send(x, 200, new byte[0], method);
        return;
      }
      int blobsAt = path.indexOf("/blobs/");
      int manifestsAt = path.indexOf("/manifests/");
      if (blobsAt > 0 && path.startsWith("/blobs/uploads/", blobsAt)) {
        if (method.equals("POST")) {
          x.getResponseHeaders().set("Location", path.substring(0, blobsAt) + "/blobs/uploads/" + uploads.incrementAndGet());
          send(x, 202, new byte[0], method);
          return;
        }
        String query = x.getRequestURI().getQuery();
        String digest = query == null ? "" : query.replaceFirst("^.*digest=([^&]*).*$", "$1");
        if (method.equals("PUT") && Digest.of(body).toString().equals(digest)) {
          blobs.put(digest, body);
          x.getResponseHeaders().set("Docker-Content-Digest", digest);
          send(x, 201, new byte[0], method);
          return;
        }
        send(x, 400, new byte[0], method);
      } else if (blobsAt > 0) {
        byte[] b = blobs.get(path.substring(blobsAt + "/blobs/".length()));
        send(x, b == null ? 404 : 200, b == null ? new byte[0] : b, method);
      } else if (manifestsAt > 0) {
        String key = path;
        if (method.equals("PUT")) {
          String digest = Digest.of(body).toString();
          String type = x.getRequestHeaders().getFirst("Content-Type");
          for (String k : new String[] {key, path.substring(0, manifestsAt) + "/manifests/" + digest}) {
            manifests.put(k, body);
            manifestTypes.put(k, type);
          }
          x.getResponseHeaders().set("Docker-Content-Digest", digest);
          send(x, 201, new byte[0], method);
          return;
        }
        byte[] m = manifests.get(key);
        if (m == null) {
          send(x, 404, new byte[0], method);
          return;
        }
        x.getResponseHeaders().set("Content-Type", manifestTypes.get(key));
        x.getResponseHeaders().set("Docker-Content-Digest", Digest.of(m).toString());
        send(x, 200, m, method);
      } else {
        send(x, 404, new byte[0], method);
      }
    }
  }

  private static void send(HttpExchange x, int status, byte[] body, String method) throws IOException {
    if (method.equals("HEAD")) {
      x.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    x.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
