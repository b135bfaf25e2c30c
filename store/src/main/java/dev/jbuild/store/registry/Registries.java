package dev.jbuild.store.registry;

import dev.jbuild.store.StoreRoot;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry clients of one command or build: one {@link RegistryClient} per endpoint, made on
 * first use and shared (so tokens and connections are reused across pulls and pushes), plus the
 * {@link RegistryConfig} that says which mirrors to try first. Thread-safe; closing it closes every
 * client it made.
 *
 * <pre>{@code
 * try (Registries r = Registries.of(RegistryConfig.load(file), CredentialStore.fromEnvironment(env), ClientOptions.defaults())) {
 *   Image img = new ImagePuller(store, r).pull(ImageRef.parse("busybox"), Platform.LINUX_AMD64);
 * }
 * }</pre>
 */
public final class Registries implements AutoCloseable {
  private final RegistryConfig config;
  private final Function<RegistryEndpoint, RegistryClient> factory;
  private final Map<String, RegistryClient> clients = new LinkedHashMap<>();

  /**
   * @param factory makes the client for an endpoint; tests pass one that refuses hosts they must
   *     never reach
   */
  public Registries(RegistryConfig config, Function<RegistryEndpoint, RegistryClient> factory) {
    this.config = config;
    this.factory = factory;
  }

  /**
   * The client options for image transfers: {@link ClientOptions#defaults()}, but every blob
   * uploaded as one streamed request (as docker and skopeo do) rather than in chunks, which holds
   * no chunk in memory and is markedly faster against distribution (each PATCH costs the registry
   * a reopen and a hash-state save); a failed upload restarts from the store's file.
   */
  public static ClientOptions transferOptions() {
    return ClientOptions.defaults().withChunking(Long.MAX_VALUE, 1 << 20);
  }

  /**
   * The clients a command or build of this environment uses: the jbuild config file ({@link
   * RegistryConfig#locate}) plus {@code insecure} hosts, docker's credentials ({@link
   * CredentialStore#fromEnvironment}) and {@link #transferOptions()}.
   */
  public static Registries forEnvironment(Map<String, String> env, StoreRoot root, Collection<String> insecure)
      throws IOException {
    RegistryConfig config = RegistryConfig.load(RegistryConfig.locate(env, root)).withInsecure(insecure);
    return of(config, CredentialStore.fromEnvironment(env), transferOptions());
  }

  /** Clients with these credentials and options. */
  public static Registries of(RegistryConfig config, CredentialProvider credentials, ClientOptions options) {
    return new Registries(config, e -> new RegistryClient(e, credentials, options));
  }

  public RegistryConfig config() {
    return config;
  }

  /** The client for a registry itself (pushes, and pulls once its mirrors failed). */
  public RegistryClient client(String registry) {
    return client(config.endpoint(registry));
  }

  /**
   * Where to pull from a registry: its mirrors first, then itself. Clients are made only when
   * {@link #client(RegistryEndpoint)} asks, so an endpoint never used is never contacted.
   */
  public List<RegistryEndpoint> pullEndpoints(String registry) {
    return config.pullEndpoints(registry);
  }

  /** The (shared) client for an endpoint. */
  public synchronized RegistryClient client(RegistryEndpoint endpoint) {
    String key = endpoint.base().toString();
    RegistryClient c = clients.get(key);
    if (c == null) {
      c = factory.apply(endpoint);
      clients.put(key, c);
    }
    return c;
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (RegistryClient c : clients.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    clients.clear();
    if (first != null) {
      throw first;
    }
  }
}
