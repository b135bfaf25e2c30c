package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP layer of a {@link RegistryClient}: sends one request with authentication (learning the
 * registry's challenge from its first 401, fetching and caching Bearer tokens per scope), retries of
 * temporary failures with backoff, and redirects (credentials are only ever sent to the registry
 * itself). {@code http://} URIs go through {@link PlainHttp}; the JDK's {@link HttpClient} (and
 * with it the TLS set-up) is made only when an {@code https://} URI is contacted. Thread-safe.
 */
final class Transport implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_ERROR_BODY = 64 << 10;
  private static final int MAX_TOKEN_BODY = 1 << 20;
  private static final int MAX_REDIRECTS = 10;
  /** Tokens are renewed this long before they expire, so a request never races the expiry. */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

  /** The access a request needs: pull (or pull and push) on a repository, plus pull on a mount source. */
  record Scope(String repo, boolean push, String mountFrom) {
    static final Scope NONE = new Scope(null, false, null);

    static Scope pull(String repo) {
      return new Scope(repo, false, null);
    }

    static Scope push(String repo) {
      return new Scope(repo, true, null);
    }

    List<String> strings() {
      List<String> s = new ArrayList<>();
      if (repo != null) {
        s.add("repository:" + repo + (push ? ":pull,push" : ":pull"));
      }
      if (mountFrom != null && !mountFrom.equals(repo)) {
        s.add("repository:" + mountFrom + ":pull");
      }
      return s;
    }
  }

  /** One request: what it does (for messages), method, URI, scope, headers and a re-creatable body. */
  record Call(String what, String method, URI uri, Scope scope, Map<String, String> headers,
      RequestBody body, boolean retry, boolean followRedirects) {

    static Call of(String what, String method, URI uri, Scope scope) {
      return new Call(what, method, uri, scope, Map.of(), RequestBody.NONE, true, false);
    }

    Call header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Call(what, method, uri, scope, h, body, retry, followRedirects);
    }

    Call body(RequestBody b) {
      return new Call(what, method, uri, scope, headers, b, retry, followRedirects);
    }

    Call noRetry() {
      return new Call(what, method, uri, scope, headers, body, false, followRedirects);
    }

    Call redirects() {
      return new Call(what, method, uri, scope, headers, body, retry, true);
    }
  }

  private record Token(String value, Instant expires) {}

  private final PlainHttp plain;
  /** For https URIs; made on first use, so plain-HTTP registries never pay for the TLS set-up. */
  private HttpClient tls;
  private boolean closed;
  private final RegistryEndpoint endpoint;
  private final CredentialProvider credentials;
  private final ClientOptions options;
  private volatile AuthChallenge challenge;
  /** Looked up once per client: a credential helper is a process, not something to run per request. */
  private Optional<Credentials> cachedCredentials;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, Object> tokenLocks = new ConcurrentHashMap<>();

  Transport(RegistryEndpoint endpoint, CredentialProvider credentials, ClientOptions options) {
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.options = options;
    this.plain = new PlainHttp(options.connectTimeout(), options.responseTimeout());
  }

  private synchronized HttpClient tls() {
    if (closed) {
      throw new IllegalStateException("[internal error] registry client used after close");
    }
    if (tls == null) {
      HttpClient.Builder b = HttpClient.newBuilder()
          .connectTimeout(options.connectTimeout())
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_2);
      if (!endpoint.tlsVerify()) {
        b.sslContext(TlsProbe.trustAll());
      }
      tls = b.build();
    }
    return tls;
  }

  /** One request, over {@link PlainHttp} for http URIs and the JDK client for https. */
  private Response exchange(String method, URI uri, Map<String, String> headers, RequestBody body)
      throws IOException, InterruptedException {
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      return plain.send(method, uri, headers, body);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.responseTimeout())
        .method(method, body == RequestBody.NONE ? HttpRequest.BodyPublishers.noBody() : body.publisher());
    headers.forEach(b::header);
    HttpResponse<InputStream> r = tls().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    return new Response(r.statusCode(), r.headers().map(), r.body());
  }

  private static RegistryException interrupted(String what) {
    Thread.currentThread().interrupt();
    return new RegistryException(what + ": interrupted", 0, List.of(), new InterruptedIOException());
  }

  ClientOptions options() {
    return options;
  }

  private synchronized Optional<Credentials> credentials() {
    if (cachedCredentials == null) {
      cachedCredentials = credentials.lookup(endpoint.name());
    }
    return cachedCredentials;
  }

  /**
   * Sends a call and returns the final response, whatever its status, after authentication,
   * redirects and retries of temporary failures. The caller closes the body. A request that got no
   * response after its retries fails with a temporary {@link RegistryException} (status 0).
   */
  Response send(Call call) {
    int failures = 0;
    int redirects = 0;
    boolean reauthenticated = false;
    URI uri = call.uri();
    while (true) {
      String auth = sameOrigin(uri) ? authorization(call.scope()) : null;
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("User-Agent", options.userAgent());
      headers.putAll(call.headers());
      if (auth != null) {
        headers.put("Authorization", auth);
      }
      Response resp;
      try {
        resp = exchange(call.method(), uri, headers, call.body());
      } catch (InterruptedException | ClosedByInterruptException e) {
        throw interrupted(call.what());
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(call.what());
        }
        failures++;
        if (call.retry() && failures < options.retry().maxAttempts()) {
          sleep(options.retry().backoff(failures), call.what());
          continue;
        }
        throw ioError(call.what(), e);
      }
      int status = resp.statusCode();
      if (status == 401 && !reauthenticated && sameOrigin(uri) && learnChallenge(resp, call.scope(), auth)) {
        reauthenticated = true;
        close(resp);
        continue;
      }
      if (call.followRedirects() && isRedirect(status) && resp.header("Location").isPresent()
          && redirects < MAX_REDIRECTS) {
        redirects++;
        uri = resolveLocation(call.what(), uri, resp.header("Location").get());
        close(resp);
        continue;
      }
      if ((status == 429 || status >= 500) && call.retry()) {
        failures++;
        if (failures < options.retry().maxAttempts()) {
          int failed = failures;
          Duration wait = retryAfter(resp).orElseGet(() -> options.retry().backoff(failed));
          close(resp);
          sleep(wait, call.what());
          continue;
        }
      }
      return resp;
    }
  }

  /** The error for a response the caller did not expect; reads at most 64 KiB of its body and closes it. */
  RegistryException error(String what, Response resp) {
    String text = "";
    try (InputStream in = resp.body()) {
      text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // the status alone still says what went wrong
    }
    List<RegistryError> errors = parseErrors(text);
    int status = resp.statusCode();
    StringBuilder m = new StringBuilder(what).append(": HTTP ").append(status);
    if (!errors.isEmpty()) {
      m.append(' ').append(String.join("; ", errors.stream().map(RegistryError::toString).toList()));
    } else {
      if (!reason(status).isEmpty()) {
        m.append(' ').append(reason(status));
      }
      String line = text.strip().lines().findFirst().orElse("");
      if (!line.isEmpty() && !line.startsWith("<") && !line.startsWith("{")) {
        m.append(": ").append(line.length() > 200 ? line.substring(0, 200) : line);
      }
      if (status == 400 && endpoint.plainHttp()) {
        // what a TLS port answers to plain HTTP (Go: "Client sent an HTTP request to an HTTPS server")
        m.append(" (if ").append(endpoint.name()).append(" serves HTTPS, --tls-verify=false or --insecure-registry ")
            .append(endpoint.name()).append(" reaches it over TLS without verifying its certificate)");
      }
    }
    return new RegistryException(m.toString(), status, errors, retryAfter(resp).orElse(null), null);
  }

  static RegistryException ioError(String what, IOException e) {
    String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    return new RegistryException(what + ": " + msg, 0, List.of(), e);
  }

  static void sleep(Duration d, String what) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(what + ": interrupted", 0, List.of(), new InterruptedIOException());
    }
  }

  static void close(Response resp) {
    resp.close();
  }

  /** Where a redirect points, relative to the request's URI; only http(s) is followed. */
  private static URI resolveLocation(String what, URI base, String location) {
    URI to;
    try {
      to = base.resolve(location.strip());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(what + ": invalid redirect location \"" + location + "\"");
    }
    if (!"http".equalsIgnoreCase(to.getScheme()) && !"https".equalsIgnoreCase(to.getScheme()) || to.getHost() == null) {
      throw new RegistryException(what + ": redirect to a location that is not an http(s) URL: " + location);
    }
    return to;
  }

  /** Reads a small response body, refusing more than {@code cap} bytes. */
  static byte[] readCapped(Response resp, long cap, String what) {
    long announced = resp.longHeader("Content-Length").orElse(-1);
    try (InputStream in = resp.body()) {
      if (announced > cap) {
        throw new RegistryException(what + ": response of " + announced + " bytes is larger than the limit of " + cap);
      }
      byte[] b = in.readNBytes((int) cap + 1);
      if (b.length > cap) {
        throw new RegistryException(what + ": response is larger than the limit of " + cap + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw ioError(what, e);
    }
  }

  static List<RegistryError> parseErrors(String text) {
    List<RegistryError> out = new ArrayList<>();
    try {
      JsonNode n = JSON.readTree(text);
      if (n != null) {
        for (JsonNode e : n.path("errors")) {
          String code = e.path("code").asText("");
          out.add(new RegistryError(ErrorCode.parse(code), code.isEmpty() ? null : code, e.path("message").asText("")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not the spec's JSON: the caller falls back to the status line
    }
    return out;
  }

  private Optional<Duration> retryAfter(Response resp) {
    Optional<String> h = resp.header("Retry-After");
    if (h.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Duration.ofSeconds(Math.max(0, Long.parseLong(h.get().strip())));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(h.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(options.clock().instant(), at);
        d = d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException e2) {
        return Optional.empty();
      }
    }
    Duration max = options.retry().maxRetryAfter();
    return Optional.of(d.compareTo(max) > 0 ? max : d);
  }

  private boolean sameOrigin(URI uri) {
    return endpoint.base().getScheme().equals(uri.getScheme()) && endpoint.authority().equalsIgnoreCase(uri.getRawAuthority());
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** The Authorization header for a scope under the challenge learned so far, or null. */
  private String authorization(Scope scope) {
    AuthChallenge ch = challenge;
    if (ch == null) {
      return null;
    }
    Optional<Credentials> creds = credentials();
    if (ch.isBasic()) {
      return creds.filter(Credentials::hasPassword).map(Credentials::basicHeader).orElse(null);
    }
    return "Bearer " + token(ch, scope, creds);
  }

  /**
   * Learns from a 401 whether trying again can help: true if the registry asks for Bearer tokens
   * (a token is fetched, or refreshed when the one sent was refused) or for Basic auth and
   * credentials exist that were not sent yet.
   */
  private boolean learnChallenge(Response resp, Scope scope, String sent) {
    List<AuthChallenge> all = AuthChallenge.parseAll(resp.headers("WWW-Authenticate"));
    Optional<AuthChallenge> pick = all.stream().filter(AuthChallenge::isBearer).findFirst()
        .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
    if (pick.isEmpty()) {
      return false;
    }
    AuthChallenge ch = pick.get();
    if (ch.isBearer()) {
      if (ch.param("realm").isEmpty()) {
        return false;
      }
      challenge = ch;
      if (sent != null && sent.startsWith("Bearer ")) {
        // the token was refused (expired early or revoked): drop it so the retry fetches a new one
        tokens.remove(tokenKey(ch, scope));
      }
      return true;
    }
    challenge = ch;
    boolean haveBasic = credentials().filter(Credentials::hasPassword).isPresent();
    return haveBasic && (sent == null || !sent.startsWith("Basic "));
  }

  private static String tokenKey(AuthChallenge ch, Scope scope) {
    return ch.param("realm").orElse("") + " " + ch.param("service").orElse("") + " " + String.join(" ", scope.strings());
  }

  /** A cached token for the scope until it expires; one fetch per scope even under parallel calls. */
  private String token(AuthChallenge ch, Scope scope, Optional<Credentials> creds) {
    String key = tokenKey(ch, scope);
    Token t = tokens.get(key);
    if (t != null && t.expires().isAfter(options.clock().instant())) {
      return t.value();
    }
    synchronized (tokenLocks.computeIfAbsent(key, k -> new Object())) {
      t = tokens.get(key);
      if (t != null && t.expires().isAfter(options.clock().instant())) {
        return t.value();
      }
      Token fresh = fetchToken(ch, scope, creds);
      tokens.put(key, fresh);
      return fresh.value();
    }
  }

  /** Asks the challenge's realm for a token (anonymously, with basic credentials, or with an identity token). */
  private Token fetchToken(AuthChallenge ch, Scope scope, Optional<Credentials> creds) {
    List<String> scopes = scope.strings();
    String what = "fetching token" + (scopes.isEmpty() ? "" : " for " + String.join(" ", scopes));
    URI realm;
    try {
      realm = URI.create(ch.param("realm").orElseThrow());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(what + ": invalid realm \"" + ch.param("realm").orElse("") + "\"");
    }
    if (!"https".equals(realm.getScheme()) && !"http".equals(realm.getScheme())) {
      throw new RegistryException(what + ": realm is not an http(s) URL: " + realm);
    }
    String service = ch.param("service").orElse("");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", options.userAgent());
    String method;
    URI uri;
    RequestBody body = RequestBody.NONE;
    if (creds.isPresent() && !creds.get().hasPassword()) {
      // OAuth2 refresh-token grant, as docker does with an identity token
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=jbuild")
          .append("&refresh_token=").append(enc(creds.get().identityToken()));
      if (!service.isEmpty()) {
        form.append("&service=").append(enc(service));
      }
      if (!scopes.isEmpty()) {
        form.append("&scope=").append(enc(String.join(" ", scopes)));
      }
      method = "POST";
      uri = realm;
      headers.put("Content-Type", "application/x-www-form-urlencoded");
      byte[] bytes = form.toString().getBytes(StandardCharsets.UTF_8);
      body = RequestBody.bytes(bytes, 0, bytes.length);
    } else {
      StringBuilder q = new StringBuilder();
      if (!service.isEmpty()) {
        q.append("service=").append(enc(service));
      }
      for (String s : scopes) {
        q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(s));
      }
      String base = realm.toString();
      method = "GET";
      uri = URI.create(q.isEmpty() ? base : base + (base.contains("?") ? "&" : "?") + q);
      creds.ifPresent(c -> headers.put("Authorization", c.basicHeader()));
    }
    int failures = 0;
    while (true) {
      Response resp;
      try {
        resp = exchange(method, uri, headers, body);
      } catch (InterruptedException | ClosedByInterruptException e) {
        throw interrupted(what);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(what);
        }
        if (++failures < options.retry().maxAttempts()) {
          sleep(options.retry().backoff(failures), what);
          continue;
        }
        throw ioError(what, e);
      }
      int status = resp.statusCode();
      if ((status == 429 || status >= 500) && ++failures < options.retry().maxAttempts()) {
        Duration wait = retryAfter(resp).orElseGet(() -> options.retry().backoff(1));
        close(resp);
        sleep(wait, what);
        continue;
      }
      if (status != 200) {
        throw error(what, resp);
      }
      JsonNode n;
      try {
        n = JSON.readTree(readCapped(resp, MAX_TOKEN_BODY, what));
      } catch (IOException e) {
        throw new RegistryException(what + ": invalid JSON from the token server", 200, List.of(), e);
      }
      String token = n.path("token").asText("");
      if (token.isEmpty()) {
        token = n.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new RegistryException(what + ": the token server's answer has no token");
      }
      // the token spec: absent or smaller than 60 s means 60 s
      long expiresIn = Math.max(60, n.path("expires_in").asLong(60));
      Instant expires = options.clock().instant().plusSeconds(expiresIn).minus(EXPIRY_MARGIN);
      return new Token(token, expires);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }

  @Override
  public void close() {
    HttpClient t;
    synchronized (this) {
      closed = true;
      t = tls;
    }
    plain.close();
    if (t != null) {
      t.close();
    }
  }
}
