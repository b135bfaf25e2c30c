package dev.jbuild.builder.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only variable environment for expansion: a name is either set (possibly to the empty
 * string) or unset. Names are case-sensitive, as on Linux.
 */
@FunctionalInterface
public interface Env {

  /** The value of {@code name}, or empty when it is unset; a set-but-empty variable gives {@code ""}. */
  Optional<String> get(String name);

  /** An environment over a copy of {@code m}; a key mapped to {@code ""} is set but empty. */
  static Env of(Map<String, String> m) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(m, "env map"));
    return name -> Optional.ofNullable(copy.get(name));
  }

  /**
   * An environment from {@code NAME=value} entries, as a container's {@code Env} list is given: an
   * entry without {@code =} sets {@code NAME} to the empty string, and a later entry for the same
   * name wins.
   */
  static Env fromList(List<String> nameEqValue) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String entry : nameEqValue) {
      int eq = entry.indexOf('=');
      if (eq < 0) {
        m.put(entry, "");
      } else {
        m.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return of(m);
  }

  /** The environment in which every variable is unset. */
  static Env empty() {
    return name -> Optional.empty();
  }
}
