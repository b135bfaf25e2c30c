package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.JsonTrees;
import dev.jbuild.store.oci.OciFormatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The registry part of jbuild's config file: mirrors to try before a registry when pulling, and
 * insecure registries (reached over HTTPS without verifying the certificate, or over plain HTTP when
 * they do not speak TLS; {@code *} is every registry). The file is {@code $JBUILD_CONFIG}, else {@code
 * <storeRoot>/config.json}; a missing file means no mirrors.
 *
 * <pre>{@code
 * {"registry-mirrors": {"docker.io": ["http://127.0.0.1:5000", "mirror.example.com"]},
 *  "insecure-registries": ["registry.lan:5000"]}
 * }</pre>
 *
 * <p>A mirror is {@code host[:port]} (verified HTTPS unless loopback, plain HTTP then, or insecure) or {@code http(s)://host[:port]}
 * without a path. Mirrors serve pulls only; pushes always go to the registry itself.
 */
public record RegistryConfig(Map<String, List<String>> mirrors, Set<String> insecureRegistries) {
  /** No mirrors, no insecure registries. */
  public static final RegistryConfig EMPTY = new RegistryConfig(Map.of(), Set.of());


  public RegistryConfig {
    Map<String, List<String>> m = new LinkedHashMap<>();
    mirrors.forEach((registry, list) -> {
      for (String mirror : list) {
        mirrorEndpoint(mirror, Set.of());
      }
      m.put(normalizeRegistry(registry), List.copyOf(list));
    });
    mirrors = java.util.Collections.unmodifiableMap(m);
    Set<String> ins = new LinkedHashSet<>();
    insecureRegistries.forEach(h -> ins.add(h.toLowerCase(Locale.ROOT)));
    insecureRegistries = java.util.Collections.unmodifiableSet(ins);
  }

  /** The config file for an environment and store: {@code $JBUILD_CONFIG}, else {@code <root>/config.json}. */
  public static Path locate(Map<String, String> env, StoreRoot root) {
    String explicit = env.get("JBUILD_CONFIG");
    return explicit != null && !explicit.isEmpty() ? Path.of(explicit) : root.path().resolve("config.json");
  }

  /** Reads a config file; a missing file is {@link #EMPTY}. Unknown keys are ignored (other parts of jbuild own them). */
  public static RegistryConfig load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
    String what = "reading " + file;
    JsonNode root;
    try {
      root = JsonTrees.parse(bytes);
    } catch (OciFormatException e) {
      throw new JbuildException(what + ": invalid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new JbuildException(what + ": want a JSON object");
    }
    Map<String, List<String>> mirrors = new LinkedHashMap<>();
    JsonNode m = root.path("registry-mirrors");
    if (!m.isMissingNode() && !m.isObject()) {
      throw new JbuildException(what + ": \"registry-mirrors\" must be an object of registry -> list of mirrors");
    }
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (!e.getValue().isArray()) {
        throw new JbuildException(what + ": \"registry-mirrors\"." + e.getKey() + " must be a list of mirrors");
      }
      List<String> list = new ArrayList<>();
      e.getValue().forEach(v -> list.add(v.asText()));
      mirrors.put(e.getKey(), list);
    }
    List<String> insecure = new ArrayList<>();
    JsonNode i = root.path("insecure-registries");
    if (!i.isMissingNode() && !i.isArray()) {
      throw new JbuildException(what + ": \"insecure-registries\" must be a list of hosts");
    }
    i.forEach(v -> insecure.add(v.asText()));
    try {
      return new RegistryConfig(mirrors, new LinkedHashSet<>(insecure));
    } catch (IllegalArgumentException e) {
      throw new JbuildException(what + ": " + e.getMessage(), e);
    }
  }

  /** This config with more insecure registries ({@code --insecure-registry}, {@code --tls-verify=false}). */
  public RegistryConfig withInsecure(Collection<String> hosts) {
    Set<String> all = new LinkedHashSet<>(insecureRegistries);
    all.addAll(hosts);
    return new RegistryConfig(mirrors, all);
  }

  /** The endpoint of a registry itself. */
  public RegistryEndpoint endpoint(String registry) {
    return RegistryEndpoint.of(registry, insecureRegistries);
  }

  /** Where to pull from for a registry: its mirrors in the configured order, then the registry. */
  public List<RegistryEndpoint> pullEndpoints(String registry) {
    List<RegistryEndpoint> out = new ArrayList<>();
    for (String mirror : mirrors.getOrDefault(normalizeRegistry(registry), List.of())) {
      out.add(mirrorEndpoint(mirror, insecureRegistries));
    }
    out.add(endpoint(registry));
    return out;
  }

  private static RegistryEndpoint mirrorEndpoint(String mirror, Set<String> insecure) {
    if (mirror == null || mirror.isBlank()) {
      throw new IllegalArgumentException("empty registry mirror");
    }
    if (!mirror.contains("://")) {
      return RegistryEndpoint.of(mirror.replaceAll("/+$", ""), insecure);
    }
    URI uri;
    try {
      uri = URI.create(mirror);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid registry mirror \"" + mirror + "\": " + e.getMessage(), e);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (uri.getRawAuthority() == null || !path.matches("/*") || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("invalid registry mirror \"" + mirror + "\": want scheme://host[:port] without a path");
    }
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    return new RegistryEndpoint(authority, URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + authority));
  }

  private static String normalizeRegistry(String registry) {
    String r = registry.toLowerCase(Locale.ROOT);
    return r.equals("index.docker.io") || r.equals("registry-1.docker.io") ? RegistryEndpoint.DOCKER_HUB : r;
  }
}
