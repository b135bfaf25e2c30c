package dev.jbuild.store.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where a registry is reached: the name users write ({@code docker.io}, {@code 127.0.0.1:5000}),
 * the base URI requests go to, and whether its TLS certificate is verified. HTTPS with verification
 * unless the host is a loopback name ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any
 * port), which uses plain HTTP, or is listed as insecure ({@code --insecure-registry}, {@code
 * --tls-verify=false}, the config file): then, as docker and podman do, HTTPS without verifying
 * the certificate (neither its issuer nor its host name), or plain HTTP when the host does not speak
 * TLS at all, which {@link RegistryClient} finds out once, before its first request. {@code
 * docker.io} is served by {@code registry-1.docker.io}.
 */
public record RegistryEndpoint(String name, URI base, boolean tlsVerify) {
  /** The name docker and podman use for Docker Hub. */
  public static final String DOCKER_HUB = "docker.io";

  /** An endpoint whose certificate (when HTTPS) is verified. */
  public RegistryEndpoint(String name, URI base) {
    this(name, base, true);
  }

  public RegistryEndpoint {
    if (name == null || name.isBlank() || base == null) {
      throw new IllegalArgumentException("registry endpoint needs a name and a base URI");
    }
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new IllegalArgumentException("registry endpoint must be http or https: " + base);
    }
  }

  /** The endpoint for a registry host, over HTTPS unless it is a loopback name. */
  public static RegistryEndpoint of(String host) {
    return of(host, Set.of());
  }

  /**
   * The endpoint for a registry host ({@code host[:port]}).
   *
   * @param insecureHosts hosts reached over plain HTTP, as {@code host} (any port) or {@code host:port};
   *     {@code *} means every host
   */
  public static RegistryEndpoint of(String host, Set<String> insecureHosts) {
    if (host == null || host.isBlank() || host.contains("/") || host.contains("@") || !host.equals(host.strip())) {
      throw new IllegalArgumentException("invalid registry host \"" + host + "\"");
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("index.docker.io") || name.equals("registry-1.docker.io")) {
      name = DOCKER_HUB;
    }
    String authority = name.equals(DOCKER_HUB) ? "registry-1.docker.io" : name;
    boolean listed = insecureHosts.contains(name) || insecureHosts.contains(hostPart(name)) || insecureHosts.contains("*");
    if (listed) {
      return new RegistryEndpoint(name, URI.create("https://" + authority), false);
    }
    return new RegistryEndpoint(name, URI.create((isLoopback(name) ? "http" : "https") + "://" + authority));
  }

  /** True when requests go over plain HTTP, or over HTTPS without verifying the certificate. */
  public boolean insecure() {
    return plainHttp() || !tlsVerify;
  }

  /** True when requests go over plain HTTP. */
  public boolean plainHttp() {
    return "http".equals(base.getScheme());
  }

  /** The same registry over plain HTTP (an insecure host that does not speak TLS). */
  public RegistryEndpoint overPlainHttp() {
    return new RegistryEndpoint(name, URI.create("http://" + authority()), true);
  }

  /** The {@code host[:port]} requests go to. */
  public String authority() {
    return base.getRawAuthority();
  }

  /** An absolute URI for a path such as {@code /v2/}. */
  public URI resolve(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  private static boolean isLoopback(String name) {
    String h = hostPart(name);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
  }

  /** The host without its port; IPv6 literals keep their brackets. */
  static String hostPart(String name) {
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      return end < 0 ? name : name.substring(0, end + 1);
    }
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  @Override
  public String toString() {
    return name;
  }
}
