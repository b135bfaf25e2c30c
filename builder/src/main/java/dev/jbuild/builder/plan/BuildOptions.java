package dev.jbuild.builder.plan;

import dev.jbuild.store.oci.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a build is asked for, as far as planning cares: {@code --build-arg} values (already
 * resolved, see {@link #resolveBuildArgs}), the {@code --target} stage, and the target platform.
 */
public record BuildOptions(
    Map<String, String> buildArgs, Optional<String> target, Platform platform) {
  public BuildOptions {
    buildArgs = Map.copyOf(buildArgs);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(platform, "platform");
  }

  /** No build args, the last stage, linux/amd64. */
  public static BuildOptions defaults() {
    return new BuildOptions(Map.of(), Optional.empty(), Platform.LINUX_AMD64);
  }

  /**
   * Turns {@code --build-arg} values into a map: {@code K=V} sets K to V; a bare {@code K} takes
   * K's value from {@code environment} (the CLI's own environment) and is left out when K is not
   * set there, as docker does. A later value for the same name wins.
   */
  public static Map<String, String> resolveBuildArgs(
      List<String> specs, Map<String, String> environment) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq == 0) {
        throw new IllegalArgumentException("invalid --build-arg \"" + s + "\": empty name");
      }
      if (eq > 0) {
        out.put(s.substring(0, eq), s.substring(eq + 1));
      } else if (environment.containsKey(s)) {
        out.put(s, environment.get(s));
      }
    }
    return out;
  }
}
