package dev.jbuild.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbuild.store.digest.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process registry on {@code 127.0.0.1:<ephemeral>} implementing enough of the OCI distribution
 * spec for client tests: {@code /v2/}, manifests (GET, HEAD, PUT), blobs (GET with optional Range
 * support, HEAD), uploads (POST, PATCH with Content-Range, PUT with digest check), cross-repository
 * mount and paginated tag lists. Blobs belong to repositories, so a mount is observable.
 *
 * <p>Auth: {@link #requireBearer} puts every {@code /v2/} call behind Bearer tokens issued by its
 * own {@code /token} endpoint (which checks basic credentials when given, and scopes);
 * {@link #requireBasic} puts them behind basic auth. Faults ({@link Fault}) make matching requests
 * answer a status (401, 429 with Retry-After, 500), drop the connection, send half a body or a
 * corrupted one, a given number of times. Every request is logged for assertions. Content lives in
 * memory: keep test blobs to a few MiB.
 */
public final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile(
      "/v2/(?<name>.+?)/(?:(?<kind>manifests|blobs|tags)/(?<rest>.*))");

  /** How a matching request misbehaves. */
  public enum FaultKind { STATUS, RESET, TRUNCATE, CORRUPT }

  /**
   * A fault injected into the next {@code times} requests whose method and path (without query)
   * match. {@code retryAfter} (seconds) is sent with {@link FaultKind#STATUS} when not null.
   */
  public record Fault(String method, Pattern path, FaultKind kind, int status, String retryAfter, AtomicInteger remaining) {
    public static Fault status(String method, String pathRegex, int status, int times) {
      return new Fault(method, Pattern.compile(pathRegex), FaultKind.STATUS, status, null, new AtomicInteger(times));
    }

    public static Fault tooManyRequests(String method, String pathRegex, String retryAfter, int times) {
      return new Fault(method, Pattern.compile(pathRegex), FaultKind.STATUS, 429, retryAfter, new AtomicInteger(times));
    }

    public static Fault of(FaultKind kind, String method, String pathRegex, int times) {
      return new Fault(method, Pattern.compile(pathRegex), kind, 0, null, new AtomicInteger(times));
    }

    boolean take(String m, String p) {
      if (!method.equals(m) || !path.matcher(p).matches()) {
        return false;
      }
      return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
  }

  private record Manifest(String mediaType, byte[] bytes) {}

  private record TokenGrant(Set<String> scopes) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Digest, byte[]> blobs = new HashMap<>();
  private final Map<String, Set<Digest>> repoBlobs = new HashMap<>();
  private final Map<String, Map<String, Manifest>> manifests = new HashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new HashMap<>();
  private final Map<String, String> uploadRepo = new HashMap<>();
  private final Map<String, TokenGrant> tokens = new HashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile boolean ranges = true;
  private volatile boolean absoluteLocations;
  private volatile boolean brokenRanges;
  private volatile boolean bearer;
  private volatile boolean basic;
  private volatile String user;
  private volatile String password;
  private volatile String identityToken;
  private volatile long tokenExpiresIn = 300;
  private volatile HttpServer storage;
  private final AtomicInteger storageRequests = new AtomicInteger();
  private final AtomicInteger storageAuthorized = new AtomicInteger();

  private FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-registry");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeRegistry start() throws IOException {
    return new FakeRegistry();
  }

  /** {@code 127.0.0.1:PORT}, a registry host name that clients reach over plain HTTP. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Whether blob GETs honour {@code Range} (206); default true. */
  public FakeRegistry ranges(boolean on) {
    ranges = on;
    return this;
  }

  /** Makes Range answers start at 0 whatever was asked (a broken proxy), to test that clients notice. */
  public FakeRegistry brokenRanges() {
    brokenRanges = true;
    return this;
  }

  /** Whether upload Locations are absolute URLs (default: relative paths with a query). */
  public FakeRegistry absoluteLocations(boolean on) {
    absoluteLocations = on;
    return this;
  }

  /** Bearer auth for every /v2/ call; tokens from /token, which needs these basic credentials (null: anonymous). */
  public FakeRegistry requireBearer(String user, String password) {
    this.bearer = true;
    this.user = user;
    this.password = password;
    return this;
  }

  /** Bearer auth whose tokens are only granted for this identity (OAuth2 refresh) token, POSTed. */
  public FakeRegistry requireBearerWithIdentityToken(String token) {
    this.bearer = true;
    this.identityToken = token;
    return this;
  }

  /** Basic auth for every /v2/ call. */
  public FakeRegistry requireBasic(String user, String password) {
    this.basic = true;
    this.user = user;
    this.password = password;
    return this;
  }

  /**
   * Makes blob GETs answer 307 to a separate "storage" server on another port (as registries
   * backed by object stores do), which serves the bytes without any auth.
   */
  public synchronized FakeRegistry redirectBlobs() throws IOException {
    if (storage == null) {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      s.setExecutor(executor);
      s.createContext("/", this::serveStorage);
      s.start();
      storage = s;
    }
    return this;
  }

  /** Requests the storage server got, and how many of them carried an Authorization header. */
  public int storageRequests() {
    return storageRequests.get();
  }

  public int storageRequestsWithAuthorization() {
    return storageAuthorized.get();
  }

  private void serveStorage(HttpExchange ex) throws IOException {
    storageRequests.incrementAndGet();
    if (ex.getRequestHeaders().containsKey("Authorization")) {
      storageAuthorized.incrementAndGet();
    }
    try (ex) {
      byte[] content;
      synchronized (this) {
        content = blobs.get(Digest.parse(ex.getRequestURI().getPath().substring("/blobs/".length())));
      }
      if (content == null) {
        reply(ex, 404, Map.of(), new byte[0], null);
      } else {
        reply(ex, 200, Map.of("Content-Type", "application/octet-stream"), content, null);
      }
    }
  }

  public FakeRegistry tokenExpiresIn(long seconds) {
    tokenExpiresIn = seconds;
    return this;
  }

  /** Invalidates every token issued so far, as a server restart or revocation would. */
  public synchronized void revokeTokens() {
    tokens.clear();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  public void inject(Fault fault) {
    faults.add(fault);
  }

  /** Every request so far as {@code METHOD /path?query}. */
  public List<String> requests() {
    return List.copyOf(log);
  }

  /** How many logged requests have this method and a path (with query) matching the regex. */
  public long count(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return log.stream().filter(l -> l.startsWith(method + " ") && p.matcher(l.substring(method.length() + 1)).matches()).count();
  }

  public void clearLog() {
    log.clear();
  }

  /** Stores a blob in a repository directly. */
  public synchronized Digest putBlob(String repo, byte[] content) {
    Digest d = Digest.of(content);
    blobs.put(d, content.clone());
    repoBlobs.computeIfAbsent(repo, k -> new HashSet<>()).add(d);
    return d;
  }

  /** A blob's bytes if the repository has it. */
  public synchronized Optional<byte[]> blob(String repo, Digest d) {
    return repoBlobs.getOrDefault(repo, Set.of()).contains(d) ? Optional.of(blobs.get(d).clone()) : Optional.empty();
  }

  /** Stores a manifest under its digest and, if not null, a tag. */
  public synchronized Digest putManifest(String repo, String tag, String mediaType, byte[] bytes) {
    Digest d = Digest.of(bytes);
    Map<String, Manifest> m = manifests.computeIfAbsent(repo, k -> new LinkedHashMap<>());
    m.put(d.toString(), new Manifest(mediaType, bytes.clone()));
    if (tag != null) {
      m.put(tag, new Manifest(mediaType, bytes.clone()));
    }
    return d;
  }

  /** A manifest's bytes by tag or digest. */
  public synchronized Optional<byte[]> manifest(String repo, String ref) {
    return Optional.ofNullable(manifests.getOrDefault(repo, Map.of()).get(ref)).map(m -> m.bytes().clone());
  }

  @Override
  public void close() {
    server.stop(0);
    if (storage != null) {
      storage.stop(0);
    }
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    String method = ex.getRequestMethod();
    log.add(method + " " + path + (query == null ? "" : "?" + query));
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals("/token")) {
        token(ex, method.equals("POST") ? new String(body, StandardCharsets.UTF_8) : query);
        return;
      }
      if (!path.startsWith("/v2/")) {
        reply(ex, 404, Map.of(), new byte[0], null);
        return;
      }
      Optional<String> denied = authorize(ex, path, query, method);
      if (denied.isPresent()) {
        error(ex, 401, "UNAUTHORIZED", "authentication required", Map.of("WWW-Authenticate", denied.get()));
        return;
      }
      Fault fault = null;
      for (Fault f : faults) {
        if (f.take(method, path)) {
          fault = f;
          break;
        }
      }
      if (fault != null && fault.kind() == FaultKind.STATUS) {
        Map<String, String> h = fault.retryAfter() == null ? Map.of() : Map.of("Retry-After", fault.retryAfter());
        error(ex, fault.status(), fault.status() == 429 ? "TOOMANYREQUESTS" : "UNKNOWN", "injected fault", h);
        return;
      }
      if (fault != null && fault.kind() == FaultKind.RESET) {
        // HttpServer closes the connection without a response when a handler throws
        throw new IllegalStateException("injected connection reset");
      }
      route(ex, method, path, query, body, fault == null ? null : fault.kind());
    }
  }

  private void route(HttpExchange ex, String method, String path, String query, byte[] body, FaultKind fault)
      throws IOException {
    if (path.equals("/v2/")) {
      reply(ex, 200, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8), fault);
      return;
    }
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      error(ex, 404, "NAME_UNKNOWN", "no such route", Map.of());
      return;
    }
    String name = m.group("name");
    String rest = m.group("rest");
    Map<String, String> q = parseQuery(query);
    switch (m.group("kind")) {
      case "manifests" -> manifestRoute(ex, method, name, rest, body, fault);
      case "tags" -> tagsRoute(ex, name, q);
      default -> {
        if (rest.equals("uploads/") || rest.equals("uploads")) {
          startUpload(ex, method, name, q);
        } else if (rest.startsWith("uploads/")) {
          uploadRoute(ex, method, name, rest.substring("uploads/".length()), q, body);
        } else {
          blobRoute(ex, method, name, rest, fault);
        }
      }
    }
  }

  private void manifestRoute(HttpExchange ex, String method, String name, String ref, byte[] body, FaultKind fault)
      throws IOException {
    switch (method) {
      case "GET", "HEAD" -> {
        Manifest mf;
        synchronized (this) {
          mf = manifests.getOrDefault(name, Map.of()).get(ref);
        }
        if (mf == null) {
          error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown", Map.of());
          return;
        }
        reply(ex, 200, Map.of("Content-Type", mf.mediaType(), "Docker-Content-Digest", Digest.of(mf.bytes()).toString()),
            mf.bytes(), fault);
      }
      case "PUT" -> {
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        JsonNode n;
        try {
          n = JSON.readTree(body);
        } catch (IOException e) {
          error(ex, 400, "MANIFEST_INVALID", "manifest invalid", Map.of());
          return;
        }
        List<String> missing = new ArrayList<>();
        synchronized (this) {
          Set<Digest> have = repoBlobs.getOrDefault(name, Set.of());
          List<JsonNode> refs = new ArrayList<>();
          if (n.has("config")) {
            refs.add(n.get("config"));
          }
          n.path("layers").forEach(refs::add);
          for (JsonNode r : refs) {
            if (!have.contains(Digest.parse(r.path("digest").asText()))) {
              missing.add(r.path("digest").asText());
            }
          }
          for (JsonNode r : n.path("manifests")) {
            if (!manifests.getOrDefault(name, Map.of()).containsKey(r.path("digest").asText())) {
              missing.add(r.path("digest").asText());
            }
          }
        }
        if (!missing.isEmpty()) {
          error(ex, 400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + missing.get(0), Map.of());
          return;
        }
        Digest d = Digest.of(body);
        if (ref.contains(":") && !ref.equals(d.toString())) {
          error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content", Map.of());
          return;
        }
        putManifest(name, ref.contains(":") ? null : ref, type, body);
        reply(ex, 201, Map.of("Docker-Content-Digest", d.toString(), "Location", "/v2/" + name + "/manifests/" + d), new byte[0], null);
      }
      default -> error(ex, 405, "UNSUPPORTED", "method not allowed", Map.of());
    }
  }

  private void blobRoute(HttpExchange ex, String method, String name, String ref, FaultKind fault) throws IOException {
    byte[] content;
    synchronized (this) {
      Digest d;
      try {
        d = Digest.parse(ref);
      } catch (RuntimeException e) {
        error(ex, 400, "DIGEST_INVALID", "invalid digest", Map.of());
        return;
      }
      content = repoBlobs.getOrDefault(name, Set.of()).contains(d) ? blobs.get(d) : null;
    }
    if (content == null) {
      error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry", Map.of());
      return;
    }
    Map<String, String> h = new HashMap<>(Map.of("Content-Type", "application/octet-stream", "Docker-Content-Digest", ref));
    if (ranges) {
      h.put("Accept-Ranges", "bytes");
    }
    if (storage != null && method.equals("GET")) {
      reply(ex, 307, Map.of("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/blobs/" + ref), new byte[0], null);
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    if (ranges && range != null && method.equals("GET")) {
      Matcher rm = Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(range);
      if (!rm.matches() || Long.parseLong(rm.group(1)) >= content.length) {
        reply(ex, 416, Map.of("Content-Range", "bytes */" + content.length), new byte[0], null);
        return;
      }
      int start = brokenRanges ? 0 : Integer.parseInt(rm.group(1));
      int end = rm.group(2).isEmpty() ? content.length - 1 : Math.min(content.length - 1, Integer.parseInt(rm.group(2)));
      h.put("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
      byte[] part = java.util.Arrays.copyOfRange(content, start, end + 1);
      reply(ex, 206, h, part, fault);
      return;
    }
    reply(ex, 200, h, content, fault);
  }

  private void startUpload(HttpExchange ex, String method, String name, Map<String, String> q) throws IOException {
    if (!method.equals("POST")) {
      error(ex, 405, "UNSUPPORTED", "method not allowed", Map.of());
      return;
    }
    if (q.containsKey("mount")) {
      Digest d = Digest.parse(q.get("mount"));
      synchronized (this) {
        String from = q.getOrDefault("from", "");
        if (repoBlobs.getOrDefault(from, Set.of()).contains(d)) {
          repoBlobs.computeIfAbsent(name, k -> new HashSet<>()).add(d);
          reply(ex, 201, Map.of("Location", "/v2/" + name + "/blobs/" + d, "Docker-Content-Digest", d.toString()),
              new byte[0], null);
          return;
        }
      }
    }
    String uuid = UUID.randomUUID().toString();
    synchronized (this) {
      uploads.put(uuid, new ByteArrayOutputStream());
      uploadRepo.put(uuid, name);
    }
    uploadAccepted(ex, name, uuid, 0);
  }

  private void uploadRoute(HttpExchange ex, String method, String name, String uuid, Map<String, String> q, byte[] body)
      throws IOException {
    ByteArrayOutputStream buf;
    synchronized (this) {
      buf = name.equals(uploadRepo.get(uuid)) ? uploads.get(uuid) : null;
    }
    if (buf == null || !"opaque".equals(q.get("_state"))) {
      error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", Map.of());
      return;
    }
    switch (method) {
      case "PATCH" -> {
        synchronized (buf) {
          String cr = ex.getRequestHeaders().getFirst("Content-Range");
          if (cr != null) {
            Matcher rm = Pattern.compile("(\\d+)-(\\d+)").matcher(cr);
            if (!rm.matches() || Long.parseLong(rm.group(1)) != buf.size()
                || Long.parseLong(rm.group(2)) - Long.parseLong(rm.group(1)) + 1 != body.length) {
              reply(ex, 416, Map.of("Range", "0-" + (buf.size() - 1)), new byte[0], null);
              return;
            }
          }
          buf.write(body);
        }
        uploadAccepted(ex, name, uuid, buf.size());
      }
      case "PUT" -> {
        byte[] content;
        synchronized (buf) {
          buf.write(body);
          content = buf.toByteArray();
        }
        Digest want;
        try {
          want = Digest.parse(q.get("digest"));
        } catch (RuntimeException e) {
          error(ex, 400, "DIGEST_INVALID", "digest missing or invalid", Map.of());
          return;
        }
        if (!Digest.of(content).equals(want)) {
          error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content", Map.of());
          return;
        }
        synchronized (this) {
          uploads.remove(uuid);
          uploadRepo.remove(uuid);
        }
        putBlob(name, content);
        reply(ex, 201, Map.of("Location", "/v2/" + name + "/blobs/" + want, "Docker-Content-Digest", want.toString()),
            new byte[0], null);
      }
      case "GET" -> uploadAccepted(ex, name, uuid, buf.size());
      default -> error(ex, 405, "UNSUPPORTED", "method not allowed", Map.of());
    }
  }

  private void uploadAccepted(HttpExchange ex, String name, String uuid, long size) throws IOException {
    String loc = "/v2/" + name + "/blobs/uploads/" + uuid + "?_state=opaque";
    if (absoluteLocations) {
      loc = "http://" + host() + loc;
    }
    reply(ex, ex.getRequestMethod().equals("GET") ? 204 : 202,
        Map.of("Location", loc, "Docker-Upload-UUID", uuid, "Range", "0-" + Math.max(0, size - 1)), new byte[0], null);
  }

  private void tagsRoute(HttpExchange ex, String name, Map<String, String> q) throws IOException {
    TreeSet<String> tags = new TreeSet<>();
    synchronized (this) {
      if (!manifests.containsKey(name)) {
        error(ex, 404, "NAME_UNKNOWN", "repository name not known to registry", Map.of());
        return;
      }
      manifests.get(name).keySet().stream().filter(k -> !k.contains(":")).forEach(tags::add);
    }
    String last = q.get("last");
    List<String> after = new ArrayList<>(last == null ? tags : tags.tailSet(last, false));
    int n = q.containsKey("n") ? Integer.parseInt(q.get("n")) : after.size();
    List<String> page = after.subList(0, Math.min(n, after.size()));
    Map<String, String> h = new HashMap<>(Map.of("Content-Type", "application/json"));
    if (page.size() < after.size()) {
      h.put("Link", "</v2/" + name + "/tags/list?n=" + n + "&last=" + page.get(page.size() - 1) + ">; rel=\"next\"");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("tags", page);
    reply(ex, 200, h, JSON.writeValueAsBytes(out), null);
  }

  // ---------------------------------------------------------------------------------------------

  /** Serves a token for a GET query, or for a POSTed OAuth2 form (identity tokens). */
  private void token(HttpExchange ex, String query) throws IOException {
    tokenRequests.incrementAndGet();
    if (identityToken != null) {
      Map<String, String> form = parseQuery(query);
      if (!ex.getRequestMethod().equals("POST") || !"refresh_token".equals(form.get("grant_type"))
          || !identityToken.equals(form.get("refresh_token"))) {
        error(ex, 401, "UNAUTHORIZED", "bad refresh token", Map.of());
        return;
      }
    } else if (user != null && !basicMatches(ex.getRequestHeaders().getFirst("Authorization"))) {
      error(ex, 401, "UNAUTHORIZED", "bad credentials", Map.of());
      return;
    }
    Set<String> scopes = new HashSet<>();
    for (String part : query == null ? new String[0] : query.split("&")) {
      if (part.startsWith("scope=")) {
        scopes.addAll(List.of(URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(" ")));
      }
    }
    String token = "tok-" + UUID.randomUUID();
    synchronized (this) {
      tokens.put(token, new TokenGrant(scopes));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    // real token servers send either name; this one sends the OAuth2 one to keep clients honest
    out.put("access_token", token);
    out.put("expires_in", tokenExpiresIn);
    reply(ex, 200, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(out), null);
  }

  private boolean basicMatches(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String dec = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    return dec.equals(user + ":" + password);
  }

  /** Empty when allowed; else the WWW-Authenticate challenge to send. */
  private Optional<String> authorize(HttpExchange ex, String path, String query, String method) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (basic) {
      return basicMatches(header) ? Optional.empty() : Optional.of("Basic realm=\"fake-registry\"");
    }
    if (!bearer) {
      return Optional.empty();
    }
    List<String> needed = new ArrayList<>();
    Matcher m = PATH.matcher(path);
    if (m.matches()) {
      boolean write = !method.equals("GET") && !method.equals("HEAD");
      needed.add("repository:" + m.group("name") + ":" + (write ? "push" : "pull"));
      String from = parseQuery(query).get("from");
      if (from != null) {
        needed.add("repository:" + from + ":pull");
      }
    }
    String challenge = "Bearer realm=\"http://" + host() + "/token\",service=\"fake-registry\""
        + (needed.isEmpty() ? "" : ",scope=\"" + needed.get(0).replace(":push", ":pull,push") + "\"");
    if (header == null || !header.startsWith("Bearer ")) {
      return Optional.of(challenge);
    }
    TokenGrant g;
    synchronized (this) {
      g = tokens.get(header.substring(7).strip());
    }
    if (g == null) {
      return Optional.of(challenge + ",error=\"invalid_token\"");
    }
    for (String need : needed) {
      String[] p = need.split(":");
      boolean ok = g.scopes().stream().anyMatch(s -> {
        String[] sp = s.split(":");
        return sp.length == 3 && sp[0].equals(p[0]) && sp[1].equals(p[1]) && List.of(sp[2].split(",")).contains(p[2]);
      });
      if (!ok) {
        return Optional.of(challenge + ",error=\"insufficient_scope\"");
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> parseQuery(String query) {
    Map<String, String> q = new HashMap<>();
    if (query != null) {
      for (String part : query.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          q.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  private void error(HttpExchange ex, int status, String code, String message, Map<String, String> headers)
      throws IOException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    Map<String, String> h = new HashMap<>(headers);
    h.put("Content-Type", "application/json");
    reply(ex, status, h, JSON.writeValueAsBytes(Map.of("errors", List.of(e))), null);
  }

  private static void reply(HttpExchange ex, int status, Map<String, String> headers, byte[] body, FaultKind fault)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length == 0) {
      return;
    }
    OutputStream out = ex.getResponseBody();
    if (fault == FaultKind.TRUNCATE) {
      out.write(body, 0, body.length / 2);
      out.flush();
      // leave the fixed-length body short and drop the connection
      throw new IllegalStateException("injected truncated body");
    }
    if (fault == FaultKind.CORRUPT) {
      byte[] bad = body.clone();
      bad[bad.length / 2] ^= 0x5a;
      out.write(bad);
    } else {
      out.write(body);
    }
  }

  /** The repositories with blobs or manifests, for assertions. */
  public synchronized Set<String> repositories() {
    Set<String> s = new TreeSet<>(repoBlobs.keySet());
    s.addAll(manifests.keySet());
    return Collections.unmodifiableSet(s);
  }
}
