package dev.jbuild.store.registry;

import java.util.Map;
import java.util.Optional;

/** Finds the credentials for a registry, by the name users write ({@code docker.io}, {@code host:port}). */
@FunctionalInterface
public interface CredentialProvider {
  /** The credentials for the registry, or empty for anonymous access. */
  Optional<Credentials> lookup(String registry);

  /** Anonymous access everywhere. */
  static CredentialProvider anonymous() {
    return registry -> Optional.empty();
  }

  /** Fixed credentials per registry name. */
  static CredentialProvider of(Map<String, Credentials> byRegistry) {
    Map<String, Credentials> copy = Map.copyOf(byRegistry);
    return registry -> Optional.ofNullable(copy.get(registry));
  }
}
