package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.oci.JsonTrees;
import dev.jbuild.store.oci.OciFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials kept the way docker and podman keep them: a {@code config.json} ({@code
 * $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, or a given path) with {@code
 * auths.<host>.auth} (base64 {@code user:pass}) or {@code identitytoken}, and credential helpers
 * ({@code credHelpers.<host>}, else {@code credsStore}) run as {@code docker-credential-<name> get}
 * with the host on stdin.
 *
 * <p>{@link #login} and {@link #logout} go through the host's helper when one is configured, and
 * otherwise rewrite the file atomically (temp file, rename) with mode 0600, keeping every other key.
 * Docker Hub is stored under {@code https://index.docker.io/v1/}, as docker does.
 *
 * @see <a href="https://github.com/docker/docker-credential-helpers">docker-credential-helpers protocol</a>
 */
public final class CredentialStore implements CredentialProvider {
  /** The key docker uses for Docker Hub in {@code auths}. */
  public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private static final int MAX_HELPER_OUTPUT = 1 << 20;

  private final Path configFile;
  private final Map<String, String> env;

  /**
   * @param configFile the config.json to read and write (it need not exist)
   * @param env the environment whose {@code PATH} credential helpers are found on
   */
  public CredentialStore(Path configFile, Map<String, String> env) {
    this.configFile = configFile;
    this.env = Map.copyOf(env);
  }

  /** The store docker would use in this environment: {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}. */
  public static CredentialStore fromEnvironment(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    Path file = dir != null && !dir.isEmpty()
        ? Path.of(dir, "config.json")
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
    return new CredentialStore(file, env);
  }

  public Path configFile() {
    return configFile;
  }

  @Override
  public Optional<Credentials> lookup(String registry) {
    try {
      ObjectNode config = read();
      Optional<String> helper = helperFor(config, registry);
      if (helper.isPresent()) {
        return helperGet(helper.get(), serverUrl(registry));
      }
      JsonNode entry = findAuth(config, registry);
      if (entry == null) {
        return Optional.empty();
      }
      String identity = entry.path("identitytoken").asText("");
      if (!identity.isEmpty()) {
        return Optional.of(Credentials.identityToken(identity));
      }
      String auth = entry.path("auth").asText("");
      if (auth.isEmpty()) {
        String user = entry.path("username").asText("");
        return user.isEmpty() ? Optional.empty() : Optional.of(Credentials.basic(user, entry.path("password").asText("")));
      }
      String decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new JbuildException("reading credentials for " + registry + " from " + configFile + ": auth is not base64 user:password");
      }
      return Optional.of(Credentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new JbuildException("reading credentials for " + registry + " from " + configFile + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading credentials for " + registry + " from " + configFile, e);
    }
  }

  /** Stores credentials for a registry (through its helper if it has one). */
  public void login(String registry, String username, String password) throws IOException {
    ObjectNode config = read();
    Optional<String> helper = helperFor(config, registry);
    if (helper.isPresent()) {
      ObjectNode in = JsonTrees.object();
      in.put("ServerURL", serverUrl(registry));
      in.put("Username", username);
      in.put("Secret", password);
      runHelper(helper.get(), "store", JsonTrees.string(in));
      return;
    }
    removeAuth(config, registry);
    ObjectNode auths = config.has("auths") && config.get("auths").isObject()
        ? (ObjectNode) config.get("auths") : config.putObject("auths");
    auths.putObject(serverUrl(registry)).put("auth",
        Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    write(config);
  }

  /** Removes a registry's credentials; false if there were none. */
  public boolean logout(String registry) throws IOException {
    ObjectNode config = read();
    Optional<String> helper = helperFor(config, registry);
    if (helper.isPresent()) {
      Optional<Credentials> had = helperGet(helper.get(), serverUrl(registry));
      if (had.isPresent()) {
        runHelper(helper.get(), "erase", serverUrl(registry));
      }
      return had.isPresent();
    }
    boolean removed = removeAuth(config, registry);
    if (removed) {
      write(config);
    }
    return removed;
  }

  /** The key docker writes for a registry: Docker Hub's legacy URL, else the host itself. */
  static String serverUrl(String registry) {
    return normalize(registry).equals(RegistryEndpoint.DOCKER_HUB) ? DOCKER_HUB_KEY : registry;
  }

  /** A config key or registry name reduced to {@code host[:port]}, Docker Hub's aliases to {@code docker.io}. */
  static String normalize(String key) {
    String k = key.strip().toLowerCase(java.util.Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
      k = RegistryEndpoint.DOCKER_HUB;
    }
    return k;
  }

  private Optional<String> helperFor(ObjectNode config, String registry) {
    JsonNode helpers = config.path("credHelpers");
    for (Map.Entry<String, JsonNode> e : helpers.properties()) {
      if (normalize(e.getKey()).equals(normalize(registry)) && !e.getValue().asText("").isEmpty()) {
        return Optional.of(e.getValue().asText());
      }
    }
    String store = config.path("credsStore").asText("");
    return store.isEmpty() ? Optional.empty() : Optional.of(store);
  }

  private static JsonNode findAuth(ObjectNode config, String registry) {
    JsonNode auths = config.path("auths");
    for (Map.Entry<String, JsonNode> e : auths.properties()) {
      if (normalize(e.getKey()).equals(normalize(registry))) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean removeAuth(ObjectNode config, String registry) {
    if (!(config.get("auths") instanceof ObjectNode auths)) {
      return false;
    }
    List<String> keys = auths.properties().stream().map(Map.Entry::getKey)
        .filter(k -> normalize(k).equals(normalize(registry))).toList();
    keys.forEach(auths::remove);
    return !keys.isEmpty();
  }

  private Optional<Credentials> helperGet(String helper, String serverUrl) throws IOException {
    HelperResult r = exec(helper, "get", serverUrl);
    if (r.exit != 0) {
      // the helper protocol's way of saying "none stored"
      if (r.output.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
        return Optional.empty();
      }
      throw new JbuildException("getting credentials for " + serverUrl + " from docker-credential-" + helper
          + ": exit status " + r.exit + ": " + r.output.strip());
    }
    JsonNode out = helperOutput(r.output, helper);
    String user = out.path("Username").asText("");
    String secret = out.path("Secret").asText("");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    // docker-credential-helpers mark identity tokens with this user name
    return Optional.of(user.equals("<token>") || user.isEmpty()
        ? Credentials.identityToken(secret) : Credentials.basic(user, secret));
  }

  private void runHelper(String helper, String verb, String stdin) throws IOException {
    HelperResult r = exec(helper, verb, stdin);
    if (r.exit != 0) {
      throw new JbuildException(verb + " credentials through docker-credential-" + helper + ": exit status " + r.exit
          + ": " + r.output.strip());
    }
  }

  private record HelperResult(int exit, String output) {}

  private HelperResult exec(String helper, String verb, String stdin) throws IOException {
    if (!helper.matches("[A-Za-z0-9._-]+")) {
      throw new JbuildException("invalid credential helper name \"" + helper + "\" in " + configFile);
    }
    String name = "docker-credential-" + helper;
    Path exe = null;
    for (String dir : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        exe = p;
        break;
      }
    }
    if (exe == null) {
      throw new JbuildException("credential helper " + name + " not found on PATH");
    }
    ProcessBuilder pb = new ProcessBuilder(exe.toString(), verb).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // a helper may exit before reading stdin; its status and output tell what happened
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream o = p.getInputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = o.read(buf)) >= 0) {
        if (out.size() + n > MAX_HELPER_OUTPUT) {
          p.destroyForcibly();
          throw new JbuildException(name + " " + verb + ": output larger than " + MAX_HELPER_OUTPUT + " bytes");
        }
        out.write(buf, 0, n);
      }
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new JbuildException(name + " " + verb + ": no exit after 30 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("waiting for " + name);
    }
    return new HelperResult(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  // what a helper printed for "get"
  private static JsonNode helperOutput(String output, String helper) {
    try {
      JsonNode n = JsonTrees.parse(output.getBytes(StandardCharsets.UTF_8));
      return n == null ? JsonTrees.object() : n;
    } catch (OciFormatException e) {
      throw new JbuildException("docker-credential-" + helper + " printed invalid JSON: " + e.getMessage(), e);
    }
  }

  private ObjectNode read() throws IOException {
    if (!Files.exists(configFile)) {
      return JsonTrees.object();
    }
    JsonNode n;
    try {
      n = JsonTrees.parse(Files.readAllBytes(configFile));
    } catch (OciFormatException e) {
      throw new JbuildException("reading " + configFile + ": invalid JSON: " + e.getMessage(), e);
    }
    if (n == null) {
      return JsonTrees.object();
    }
    if (!(n instanceof ObjectNode o)) {
      throw new JbuildException("reading " + configFile + ": not a JSON object");
    }
    return o;
  }

  private void write(ObjectNode config) throws IOException {
    Path dir = configFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".config.json.", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(JsonTrees.bytes(config, true)));
        ch.force(true);
      }
      try {
        Files.move(tmp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, configFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
