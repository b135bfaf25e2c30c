package dev.jbuild.store.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client for {@code http://} URIs (loopback and insecure registries), used
 * instead of {@link java.net.http.HttpClient} there: no TLS context, no selector thread, bodies
 * read straight into the caller's buffer and files uploaded with {@code sendfile(2)}. Blocking
 * sockets with a read timeout, kept-alive connections per host, {@code Content-Length}, chunked
 * and read-to-close bodies. An idle connection the server closed is dropped before use; a GET or
 * HEAD that still fails on a reused connection before any answer arrived is sent once more on a
 * fresh one; other methods are not, as the server may have acted on them. Thread-safe.
 */
final class PlainHttp implements AutoCloseable {
  private static final int MAX_HEAD = 64 << 10;
  private static final int MAX_LINE = 16 << 10;
  private static final int MAX_IDLE_PER_HOST = 8;
  /** A body closed early is read to its end (to keep the connection) only when this small. */
  private static final long DRAIN_LIMIT = 256 << 10;

  private final int connectTimeoutMs;
  private final int readTimeoutMs;
  private final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();
  private boolean closed;

  PlainHttp(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    this.readTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, readTimeout.toMillis()));
  }

  /**
   * Sends one request and returns the response once its head arrived; the caller reads and closes
   * the body. {@code headers} must not hold Host, Content-Length or Connection.
   */
  Response send(String method, URI uri, Map<String, String> headers, RequestBody body) throws IOException {
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("[internal error] not an http URI: " + uri);
    }
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String key = host + " " + port;
    byte[] head = head(method, uri, headers, body);
    Conn reused = take(key);
    if (reused != null) {
      try {
        return exchange(reused, method, head, body);
      } catch (StaleConnection e) {
        // the server closed the idle connection: a fresh one gets the request
        reused.close();
      }
    }
    Conn c = connect(key, host, port);
    try {
      return exchange(c, method, head, body);
    } catch (StaleConnection e) {
      throw e.cause;
    }
  }

  private static byte[] head(String method, URI uri, Map<String, String> headers, RequestBody body) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder b = new StringBuilder(256).append(method).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      b.append('?').append(uri.getRawQuery());
    }
    b.append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority()).append("\r\n");
    headers.forEach((name, value) -> {
      if (!name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':')) {
        throw new IllegalArgumentException("invalid header name \"" + name + "\"");
      }
      if (value.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
        throw new IllegalArgumentException("invalid value for header " + name);
      }
      b.append(name).append(": ").append(value).append("\r\n");
    });
    if (body.length() > 0 || !method.equals("GET") && !method.equals("HEAD")) {
      b.append("Content-Length: ").append(body.length()).append("\r\n");
    }
    b.append("\r\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Response exchange(Conn c, String method, byte[] head, RequestBody body) throws IOException {
    IOException writeFailure = null;
    try {
      byte[] small = body.length() == 0 ? new byte[0] : body.small();
      if (small != null) {
        byte[] all = new byte[head.length + small.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(small, 0, all, head.length, small.length);
        c.out.write(all);
      } else {
        c.out.write(head);
        body.writeTo(c.out, c.channel);
      }
    } catch (RequestBody.LocalContentException e) {
      c.close();
      throw e;
    } catch (IOException e) {
      // the server may have answered (and closed) before taking the whole body: read that answer
      writeFailure = e;
    }
    try {
      return readResponse(c, method, writeFailure != null);
    } catch (IOException e) {
      c.close();
      IOException failure = writeFailure != null ? writeFailure : e;
      if (c.reused && c.received == 0 && (method.equals("GET") || method.equals("HEAD"))) {
        throw new StaleConnection(failure);
      }
      throw failure;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private Response readResponse(Conn c, String method, boolean closeAfter) throws IOException {
    while (true) {
      String status = c.readLine();
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
        throw new IOException("not an HTTP/1.1 response: \"" + abbreviate(status) + "\"");
      }
      int code = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      int size = status.length();
      while (true) {
        String line = c.readLine();
        if (line.isEmpty()) {
          break;
        }
        size += line.length();
        if (size > MAX_HEAD) {
          throw new IOException("response head is larger than " + MAX_HEAD + " bytes");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed response header \"" + abbreviate(line) + "\"");
        }
        headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).strip());
      }
      if (code >= 100 && code < 200) {
        continue; // interim answers (100 Continue): the real one follows
      }
      boolean keepAlive = !closeAfter && parts[0].equals("HTTP/1.1") && !hasToken(headers.get("connection"), "close");
      InputStream body;
      List<String> te = headers.get("transfer-encoding");
      List<String> cl = headers.get("content-length");
      if (method.equals("HEAD") || code == 204 || code == 304) {
        body = new FixedBody(c, 0, keepAlive);
      } else if (te != null && !te.isEmpty()) {
        if (!hasToken(te, "chunked")) {
          throw new IOException("unsupported Transfer-Encoding " + te);
        }
        body = new ChunkedBody(c, keepAlive);
      } else if (cl != null && !cl.isEmpty()) {
        long len;
        try {
          len = Long.parseLong(cl.get(0));
        } catch (NumberFormatException e) {
          len = -1;
        }
        if (len < 0 || cl.stream().anyMatch(v -> !v.equals(cl.get(0)))) {
          throw new IOException("invalid Content-Length " + cl);
        }
        body = new FixedBody(c, len, keepAlive);
      } else {
        body = new FixedBody(c, -1, false);
      }
      return new Response(code, headers, body);
    }
  }

  private static boolean hasToken(List<String> values, String token) {
    if (values == null) {
      return false;
    }
    for (String v : values) {
      for (String t : v.split(",")) {
        if (t.strip().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  /** An idle connection to the host that the server has not closed meanwhile, or null. */
  private Conn take(String key) {
    while (true) {
      Conn c;
      synchronized (this) {
        ArrayDeque<Conn> q = idle.get(key);
        c = q == null ? null : q.pollLast();
      }
      if (c == null) {
        return null;
      }
      if (c.idleAndOpen()) {
        c.reused = true;
        c.received = 0;
        return c;
      }
      c.close();
    }
  }

  private void release(Conn c) {
    synchronized (this) {
      ArrayDeque<Conn> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
      if (!closed && q.size() < MAX_IDLE_PER_HOST && c.channel.isOpen()) {
        q.addLast(c);
        return;
      }
    }
    c.close();
  }

  private Conn connect(String key, String host, int port) throws IOException {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    SocketChannel ch = SocketChannel.open();
    try {
      ch.socket().setTcpNoDelay(true);
      ch.socket().connect(new InetSocketAddress(h, port), connectTimeoutMs);
      ch.socket().setSoTimeout(readTimeoutMs);
      return new Conn(key, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() {
    List<Conn> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(Conn::close);
  }

  /** A failure on a reused connection before any byte of an answer: worth one fresh connection. */
  private static final class StaleConnection extends IOException {
    private static final long serialVersionUID = 1L;
    final transient IOException cause;

    StaleConnection(IOException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /** One connection: the channel, its blocking streams (with the read timeout) and a read buffer. */
  private static final class Conn {
    final String key;
    final SocketChannel channel;
    final InputStream in;
    final OutputStream out;
    final byte[] buf = new byte[64 << 10];
    int pos;
    int lim;
    boolean reused;
    long received;

    Conn(String key, SocketChannel channel) throws IOException {
      this.key = key;
      this.channel = channel;
      this.in = channel.socket().getInputStream();
      this.out = channel.socket().getOutputStream();
    }

    /** Reads into {@code b}: what is buffered first, large reads straight from the socket. */
    int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos < lim) {
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
      }
      if (len >= buf.length / 2) {
        int n = in.read(b, off, len);
        if (n > 0) {
          received += n;
        }
        return n;
      }
      return fill() ? read(b, off, len) : -1;
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      received += n;
      pos = 0;
      lim = n;
      return true;
    }

    int read() throws IOException {
      if (pos >= lim && !fill()) {
        return -1;
      }
      return buf[pos++] & 0xff;
    }

    /** A line without its CRLF (or LF), as ISO-8859-1. */
    String readLine() throws IOException {
      StringBuilder s = new StringBuilder(64);
      while (true) {
        int ch = read();
        if (ch < 0) {
          throw new EOFException(received == 0 ? "connection closed before any response"
              : "connection closed in the middle of the response head");
        }
        if (ch == '\n') {
          int n = s.length();
          return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
        }
        if (s.length() >= MAX_LINE) {
          throw new IOException("response line longer than " + MAX_LINE + " bytes");
        }
        s.append((char) ch);
      }
    }

    /** True unless the server closed the connection or sent something unasked while it was idle. */
    boolean idleAndOpen() {
      if (pos < lim) {
        return false;
      }
      try {
        channel.configureBlocking(false);
        try {
          return channel.read(java.nio.ByteBuffer.allocate(1)) == 0;
        } finally {
          channel.configureBlocking(true);
        }
      } catch (IOException e) {
        return false;
      }
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more to release
      }
    }
  }

  /**
   * A body of {@code remaining} bytes ({@code -1}: until the server closes). The connection goes
   * back to the pool when the body was read to its end, or closed with little left to drain.
   */
  private final class FixedBody extends InputStream {
    private final Conn c;
    private final boolean keepAlive;
    private final long total;
    private long remaining;
    private boolean done;

    FixedBody(Conn c, long length, boolean keepAlive) {
      this.c = c;
      this.total = length;
      this.remaining = length;
      this.keepAlive = keepAlive;
      if (length == 0) {
        finish(true);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int want = remaining < 0 ? len : (int) Math.min(len, remaining);
      int n;
      try {
        n = c.read(b, off, want);
      } catch (IOException e) {
        finish(false);
        throw e;
      }
      if (n < 0) {
        finish(false);
        if (remaining < 0) {
          return -1;
        }
        throw new EOFException("connection closed after " + (total - remaining) + " of " + total + " bytes of the response body");
      }
      if (remaining > 0) {
        remaining -= n;
        if (remaining == 0) {
          finish(true);
        }
      }
      return n;
    }

    @Override
    public int available() {
      return done ? 0 : Math.min(c.lim - c.pos, remaining < 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, remaining));
    }

    private void finish(boolean complete) {
      if (done) {
        return;
      }
      done = true;
      if (complete && keepAlive) {
        release(c);
      } else {
        c.close();
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      if (remaining > 0 && remaining <= DRAIN_LIMIT && keepAlive) {
        try {
          skipNBytes(remaining);
        } catch (IOException e) {
          // read() already dropped the connection
        }
      }
      finish(false);
    }
  }

  /** A chunked body: hex size lines, chunk data, a last empty chunk and trailers. */
  private final class ChunkedBody extends InputStream {
    private final Conn c;
    private final boolean keepAlive;
    private long chunkLeft;
    private long read;
    private boolean eof;
    private boolean done;

    ChunkedBody(Conn c, boolean keepAlive) {
      this.c = c;
      this.keepAlive = keepAlive;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (eof || done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      try {
        if (chunkLeft == 0) {
          if (read > 0 && !c.readLine().isEmpty()) {
            throw new IOException("malformed chunked body: no CRLF after a chunk");
          }
          String line = c.readLine();
          int semi = line.indexOf(';');
          String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
          if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new IOException("malformed chunked body: chunk size \"" + abbreviate(line) + "\"");
          }
          chunkLeft = Long.parseLong(hex, 16);
          if (chunkLeft == 0) {
            int trailers = 0;
            while (!c.readLine().isEmpty()) {
              if (++trailers > 100) {
                throw new IOException("malformed chunked body: too many trailers");
              }
            }
            eof = true;
            finish(true);
            return -1;
          }
          read = 1;
        }
        int n = c.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
          throw new EOFException("connection closed in the middle of a chunked response body");
        }
        chunkLeft -= n;
        return n;
      } catch (IOException e) {
        finish(false);
        throw e;
      }
    }

    private void finish(boolean complete) {
      if (done) {
        return;
      }
      done = true;
      if (complete && keepAlive) {
        release(c);
      } else {
        c.close();
      }
    }

    @Override
    public void close() {
      // the rest of a chunked body has no known size: drop the connection
      finish(false);
    }
  }
}
