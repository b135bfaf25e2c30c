package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The execution parameters of an image ({@code config} inside the image config), with the image
 * spec's field names plus docker's extensions under docker's exact names ({@code Healthcheck},
 * {@code OnBuild}, {@code Shell}).
 *
 * <p>Empty lists, sets and maps are the same value as absent ones and are not written. Every
 * {@code with...} method returns a new value and leaves this one alone (ggcr's mutate style):
 *
 * <pre>{@code
 * ContainerConfig c = ContainerConfig.EMPTY.withEnv("PATH", "/usr/bin").withCmd(List.of("sh"));
 * }</pre>
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">config.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
    "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell"})
public record ContainerConfig(
    @JsonProperty("User") String user,
    @JsonProperty("ExposedPorts") @JsonSerialize(using = StringSetJson.Writer.class)
        @JsonDeserialize(using = StringSetJson.Reader.class) Set<String> exposedPorts,
    @JsonProperty("Env") List<String> env,
    @JsonProperty("Entrypoint") List<String> entrypoint,
    @JsonProperty("Cmd") List<String> cmd,
    @JsonProperty("Volumes") @JsonSerialize(using = StringSetJson.Writer.class)
        @JsonDeserialize(using = StringSetJson.Reader.class) Set<String> volumes,
    @JsonProperty("WorkingDir") String workingDir,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("StopSignal") String stopSignal,
    @JsonProperty("ArgsEscaped") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean argsEscaped,
    @JsonProperty("Healthcheck") Healthcheck healthcheck,
    @JsonProperty("OnBuild") List<String> onBuild,
    @JsonProperty("Shell") List<String> shell) {

  /** No settings at all. */
  public static final ContainerConfig EMPTY =
      new ContainerConfig(null, null, null, null, null, null, null, null, null, false, null, null, null);

  public ContainerConfig {
    exposedPorts = set(exposedPorts, "ExposedPorts");
    volumes = set(volumes, "Volumes");
    env = list(env, "Env");
    for (String e : env) {
      if (!OciRules.isEnvEntry(e)) {
        throw new InvalidConfigException("Env entry \"" + e + "\" is not KEY=value");
      }
    }
    entrypoint = list(entrypoint, "Entrypoint");
    cmd = list(cmd, "Cmd");
    onBuild = list(onBuild, "OnBuild");
    shell = list(shell, "Shell");
    if (labels != null) {
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (l.getKey() == null || l.getValue() == null) {
          throw new InvalidConfigException("Labels must map strings to strings");
        }
      }
    }
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    user = emptyToNull(user);
    workingDir = emptyToNull(workingDir);
    stopSignal = emptyToNull(stopSignal);
  }

  /** The value of an environment variable, or null when unset. */
  public String envValue(String key) {
    String prefix = key + "=";
    for (String e : env) {
      if (e.startsWith(prefix)) {
        return e.substring(prefix.length());
      }
    }
    return null;
  }

  public ContainerConfig withUser(String u) {
    return new ContainerConfig(u, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withExposedPorts(Set<String> p) {
    return new ContainerConfig(user, p, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  /** Adds a port such as {@code 80/tcp}. */
  public ContainerConfig withExposedPort(String port) {
    Set<String> p = new TreeSet<>(exposedPorts);
    p.add(port);
    return withExposedPorts(p);
  }

  public ContainerConfig withEnv(List<String> e) {
    return new ContainerConfig(user, exposedPorts, e, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  /** Sets one variable: replaces its entry in place, or appends it, as docker's ENV does. */
  public ContainerConfig withEnv(String key, String value) {
    if (key == null || key.isEmpty() || key.contains("=")) {
      throw new InvalidConfigException("invalid environment variable name \"" + key + "\"");
    }
    List<String> e = new ArrayList<>(env);
    String entry = key + "=" + value;
    int at = -1;
    for (int i = 0; i < e.size(); i++) {
      if (e.get(i).startsWith(key + "=")) {
        at = i;
        break;
      }
    }
    if (at >= 0) {
      e.set(at, entry);
    } else {
      e.add(entry);
    }
    return withEnv(e);
  }

  public ContainerConfig withEntrypoint(List<String> e) {
    return new ContainerConfig(user, exposedPorts, env, e, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withCmd(List<String> c) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, c, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withVolumes(Set<String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, v, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withVolume(String path) {
    Set<String> v = new TreeSet<>(volumes);
    v.add(path);
    return withVolumes(v);
  }

  public ContainerConfig withWorkingDir(String w) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, w, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withLabels(Map<String, String> l) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, l, stopSignal,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withLabel(String key, String value) {
    Map<String, String> l = new TreeMap<>(labels);
    l.put(key, value);
    return withLabels(l);
  }

  public ContainerConfig withStopSignal(String s) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, s,
        argsEscaped, healthcheck, onBuild, shell);
  }

  public ContainerConfig withArgsEscaped(boolean a) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        a, healthcheck, onBuild, shell);
  }

  public ContainerConfig withHealthcheck(Healthcheck h) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, h, onBuild, shell);
  }

  public ContainerConfig withOnBuild(List<String> o) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, o, shell);
  }

  public ContainerConfig withShell(List<String> s) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        argsEscaped, healthcheck, onBuild, s);
  }

  private static Set<String> set(Set<String> s, String name) {
    if (s == null) {
      return Set.of();
    }
    if (s.stream().anyMatch(x -> x == null || x.isEmpty())) {
      throw new InvalidConfigException(name + " has an empty member");
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(s));
  }

  private static List<String> list(List<String> l, String name) {
    if (l == null) {
      return List.of();
    }
    if (l.stream().anyMatch(x -> x == null)) {
      throw new InvalidConfigException(name + " has a null entry");
    }
    return List.copyOf(l);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
