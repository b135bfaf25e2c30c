package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PlainHttp} against a scripted server on 127.0.0.1 that answers each connection's requests
 * with raw bytes: chunked bodies, kept-alive connections, a connection the server closed while
 * idle, short bodies, and file uploads by sendfile.
 */
class PlainHttpTest {
  @TempDir Path tmp;

  /** Answers the n-th request of a connection (n from 0); returns false to close the connection after it. */
  interface Script {
    boolean answer(int n, String head, byte[] body, OutputStream out) throws IOException;
  }

  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  ServerSocket server;
  Thread acceptor;

  void serve(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        Socket s;
        try {
          s = server.accept();
        } catch (IOException e) {
          return;
        }
        connections.incrementAndGet();
        Thread t = new Thread(() -> handle(s, script));
        t.setDaemon(true);
        t.start();
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void handle(Socket s, Script script) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      for (int n = 0; ; n++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        requests.add(head);
        int len = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            len = Integer.parseInt(line.substring(15).strip());
          }
        }
        byte[] body = in.readNBytes(len);
        boolean keep = script.answer(n, head, body, out);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      String s = b.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return null;
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  PlainHttp client() {
    return new PlainHttp(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void chunkedBodiesAreDecodedAndTheConnectionIsKept() throws IOException {
    byte[] content = new byte[200_000];
    new Random(1).nextBytes(content);
    serve((n, head, body, out) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
      for (int off = 0; off < content.length; off += 70_000) {
        int len = Math.min(70_000, content.length - off);
        out.write(ascii(Integer.toHexString(len) + ";ext=1\r\n"));
        out.write(content, off, len);
        out.write(ascii("\r\n"));
      }
      out.write(ascii("0\r\nX-Trailer: t\r\n\r\n"));
      return true;
    });
    try (PlainHttp http = client()) {
      for (int i = 0; i < 3; i++) {
        Response r = http.send("GET", uri("/v2/x/blobs/a"), Map.of("User-Agent", "t"), RequestBody.NONE);
        assertEquals(200, r.statusCode());
        try (InputStream in = r.body()) {
          assertArrayEquals(content, in.readAllBytes());
        }
      }
    }
    assertEquals(1, connections.get());
    assertEquals(3, requests.size());
    assertTrue(requests.get(0).startsWith("GET /v2/x/blobs/a HTTP/1.1\r\nHost: 127.0.0.1:"), requests.get(0));
  }

  /** What reading the body of the one answer {@code response} fails with. */
  IOException bodyFailure(String response) throws IOException {
    serve((n, head, body, out) -> {
      out.write(ascii(response));
      return false;
    });
    try (PlainHttp http = client()) {
      Response r = http.send("GET", uri("/"), Map.of(), RequestBody.NONE);
      return assertThrows(IOException.class, () -> r.body().readAllBytes());
    }
  }

  @Test
  void aMalformedChunkIsAnError() throws IOException {
    IOException e = bodyFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
    assertTrue(e.getMessage().contains("chunk size"), e.getMessage());
  }

  @Test
  void connectionsTheServerClosedWhileIdleAreNotUsed() throws IOException {
    // one answer per connection, without saying Connection: close
    serve((n, head, body, out) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
      return false;
    });
    try (PlainHttp http = client()) {
      for (String method : List.of("GET", "GET", "POST")) {
        Response r = http.send(method, uri("/v2/"), Map.of(), RequestBody.NONE);
        assertEquals("ok", new String(r.body().readAllBytes(), StandardCharsets.US_ASCII));
        // the server's close reaches the client before its next request
        sleepMillis(100);
      }
    }
    assertEquals(3, requests.size());
    assertEquals(3, connections.get());
  }

  @Test
  void aGetThatMeetsAClosingConnectionIsSentAgainButAPostIsNot() throws IOException {
    // the server takes the second request of each connection and closes without an answer
    serve((n, head, body, out) -> {
      if (n > 0) {
        return false;
      }
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
      return true;
    });
    try (PlainHttp http = client()) {
      for (int i = 0; i < 2; i++) {
        Response r = http.send("GET", uri("/v2/"), Map.of(), RequestBody.NONE);
        assertEquals("ok", new String(r.body().readAllBytes(), StandardCharsets.US_ASCII));
      }
      assertEquals(3, requests.size());
      assertEquals(2, connections.get());
      // the server may have acted on a POST it took: not sent again
      assertThrows(IOException.class, () -> http.send("POST", uri("/v2/x/blobs/uploads/"), Map.of(), RequestBody.NONE));
    }
    assertEquals(4, requests.size());
    assertEquals(2, connections.get());
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aShortBodySaysHowMuchArrived() throws IOException {
    IOException e = bodyFailure("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd");
    assertTrue(e instanceof EOFException, e.toString());
    assertEquals("connection closed after 4 of 10 bytes of the response body", e.getMessage());
  }

  @Test
  void headAnswersHaveNoBodyWhateverTheirContentLength() throws IOException {
    serve((n, head, body, out) -> {
      out.write(ascii(head.startsWith("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
          : "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop"));
      return true;
    });
    try (PlainHttp http = client()) {
      Response r = http.send("HEAD", uri("/v2/x/blobs/a"), Map.of(), RequestBody.NONE);
      assertEquals(1234, r.longHeader("content-length").orElseThrow());
      assertEquals(-1, r.body().read());
      Response g = http.send("GET", uri("/v2/x/blobs/b"), Map.of(), RequestBody.NONE);
      assertEquals(404, g.statusCode());
      g.close();
    }
    assertEquals(1, connections.get());
  }

  @Test
  void filesAreUploadedWhole() throws IOException {
    byte[] content = new byte[3_000_000];
    new Random(2).nextBytes(content);
    Path f = tmp.resolve("blob");
    Files.write(f, content);
    List<byte[]> got = new ArrayList<>();
    serve((n, head, body, out) -> {
      got.add(body);
      out.write(ascii("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
      return true;
    });
    List<Long> progress = new CopyOnWriteArrayList<>();
    try (PlainHttp http = client(); FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      for (int i = 0; i < 2; i++) {
        Response r = http.send("PUT", uri("/up?digest=x"), Map.of("Content-Type", "application/octet-stream"),
            RequestBody.file(ch, content.length, progress::add));
        assertEquals(201, r.statusCode());
        r.close();
      }
      // a file shorter than announced fails at once, whatever the server would answer
      IOException e = assertThrows(IOException.class,
          () -> http.send("PUT", uri("/up"), Map.of(), RequestBody.file(ch, content.length + 10, n -> {})));
      assertEquals("content to upload ended after 3000000 of 3000010 bytes", e.getMessage());
    }
    assertArrayEquals(content, got.get(0));
    assertArrayEquals(content, got.get(1));
    assertEquals(content.length, progress.get(progress.size() - 1));
    assertTrue(requests.get(0).contains("Content-Length: 3000000\r\n"), requests.get(0));
  }

  @Test
  void headerValuesWithLineBreaksAreRefused() throws IOException {
    serve((n, head, body, out) -> false);
    try (PlainHttp http = client()) {
      assertThrows(IllegalArgumentException.class,
          () -> http.send("GET", uri("/"), Map.of("Authorization", "Bearer x\r\nEvil: 1"), RequestBody.NONE));
    }
    assertEquals(0, requests.size());
  }
}
