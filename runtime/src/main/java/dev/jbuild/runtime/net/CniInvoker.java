package dev.jbuild.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs CNI plugins for a network configuration list as the CNI 1.0 spec prescribes: each plugin is
 * executed with {@code CNI_COMMAND}, {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME} and
 * {@code CNI_PATH} in its environment and its configuration on stdin (with {@code name}, {@code
 * cniVersion}, the previous plugin's result as {@code prevResult} and the {@code runtimeConfig} entries
 * of the capabilities it declares). ADD runs the list in order and returns the last result; DEL runs
 * it in reverse with the cached ADD result.
 *
 * @see <a href="https://github.com/containernetworking/cni/blob/spec-v1.0.0/SPEC.md">CNI 1.0 spec</a>
 */
public final class CniInvoker {
  private final List<Path> pluginDirs;

  public CniInvoker(List<Path> pluginDirs) {
    this.pluginDirs = List.copyOf(pluginDirs);
  }

  /** The plugin search path: {@code $CNI_PATH}, then Debian's /usr/lib/cni, then /opt/cni/bin. */
  public static List<Path> defaultPluginDirs(Map<String, String> env) {
    List<Path> dirs = new ArrayList<>();
    String cniPath = env.get("CNI_PATH");
    if (cniPath != null) {
      for (String d : cniPath.split(":")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    dirs.add(Path.of("/usr/lib/cni"));
    dirs.add(Path.of("/opt/cni/bin"));
    return dirs;
  }

  public List<Path> pluginDirs() {
    return pluginDirs;
  }

  /** The executable of plugin {@code type}. */
  public Path plugin(String type) {
    if (type.contains("/") || type.isEmpty()) {
      throw new CniException(type, "lookup", 0, "invalid plugin type");
    }
    return pluginDirs.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new CniException(type, "lookup", 0,
            "plugin not found in " + pluginDirs + " (install containernetworking-plugins or set CNI_PATH)"));
  }

  /** CNI ADD of every plugin in {@code conflist}; returns the final result (JSON). */
  public String add(String conflist, String containerId, Path netns, String ifname, JsonNode runtimeConfig)
      throws IOException {
    JsonNode list = JsonTrees.read(conflist, "CNI network configuration");
    JsonNode prev = null;
    for (JsonNode plugin : list.path("plugins")) {
      String out = exec("ADD", list, plugin, prev, containerId, netns, ifname, runtimeConfig);
      prev = JsonTrees.read(out, "result of CNI plugin " + plugin.path("type").asText());
    }
    return prev == null ? "{}" : JsonTrees.string(prev);
  }

  /**
   * CNI DEL of every plugin in reverse order with the cached ADD result. Every plugin is called even
   * when one fails; the first failure is thrown afterwards with the others suppressed.
   */
  public void del(String conflist, String containerId, Path netns, String ifname, JsonNode runtimeConfig,
      String cachedResult) throws IOException {
    JsonNode list = JsonTrees.read(conflist, "CNI network configuration");
    JsonNode prev = cachedResult == null ? null : JsonTrees.read(cachedResult, "cached CNI result");
    List<JsonNode> plugins = new ArrayList<>();
    list.path("plugins").forEach(plugins::add);
    RuntimeException first = null;
    for (int i = plugins.size() - 1; i >= 0; i--) {
      try {
        exec("DEL", list, plugins.get(i), prev, containerId, netns, ifname, runtimeConfig);
      } catch (CniException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** CNI CHECK of every plugin in order against the cached ADD result; throws if any reports a problem. */
  public void check(String conflist, String containerId, Path netns, String ifname, JsonNode runtimeConfig,
      String cachedResult) throws IOException {
    JsonNode list = JsonTrees.read(conflist, "CNI network configuration");
    JsonNode prev = JsonTrees.read(cachedResult, "cached CNI result");
    for (JsonNode plugin : list.path("plugins")) {
      exec("CHECK", list, plugin, prev, containerId, netns, ifname, runtimeConfig);
    }
  }

  private String exec(String command, JsonNode list, JsonNode plugin, JsonNode prev, String containerId, Path netns,
      String ifname, JsonNode runtimeConfig) throws IOException {
    String type = plugin.path("type").asText();
    ObjectNode conf = ((ObjectNode) plugin.deepCopy());
    conf.put("cniVersion", list.path("cniVersion").asText("1.0.0"));
    conf.put("name", list.path("name").asText());
    if (prev != null) {
      conf.set("prevResult", prev);
    }
    Optional<ObjectNode> rc = runtimeConfigFor(plugin, runtimeConfig);
    rc.ifPresent(r -> conf.set("runtimeConfig", r));
    conf.remove("capabilities");

    ProcessBuilder pb = new ProcessBuilder(plugin(type).toString());
    Map<String, String> env = pb.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    // DEL goes without a namespace that is gone, or that never became one (a crash between creating
    // the pin file and mounting the namespace on it): the plugins then release what lives outside it
    // (the address), and a plugin handed a plain file would fail on it at every retry.
    if (netns != null && (!command.equals("DEL") || NetNs.isNamespace(netns))) {
      env.put("CNI_NETNS", netns.toString());
    }
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", String.join(":", pluginDirs.stream().map(Path::toString).toList()));
    Process p = pb.start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    try (OutputStream in = p.getOutputStream()) {
      in.write(JsonTrees.bytes(conf));
    }
    byte[] out = p.getInputStream().readAllBytes();
    int exit;
    try {
      exit = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted running CNI plugin " + type);
    }
    String stdout = new String(out, StandardCharsets.UTF_8);
    if (exit != 0) {
      int code = 0;
      String msg = stdout.strip();
      try {
        JsonNode e = JsonTrees.read(stdout, "CNI plugin error");
        if (e != null && e.has("msg")) {
          code = e.path("code").asInt(0);
          msg = e.path("msg").asText() + (e.hasNonNull("details") ? ": " + e.path("details").asText() : "");
        }
      } catch (IOException notJson) {
        // plugins that crash print plain text; keep it as it is
      }
      String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
      if (msg.isEmpty()) {
        msg = stderr.isEmpty() ? "exit status " + exit : stderr;
      }
      throw new CniException(type, command, code, msg);
    }
    return command.equals("ADD") ? stdout : "";
  }

  /** The runtimeConfig entries of the capabilities the plugin declares ({@code "capabilities": {"portMappings": true}}). */
  private static Optional<ObjectNode> runtimeConfigFor(JsonNode plugin, JsonNode runtimeConfig) {
    if (runtimeConfig == null || !plugin.has("capabilities")) {
      return Optional.empty();
    }
    ObjectNode rc = JsonTrees.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = plugin.path("capabilities").properties().iterator(); it.hasNext();) {
      Map.Entry<String, JsonNode> cap = it.next();
      if (cap.getValue().asBoolean() && runtimeConfig.has(cap.getKey())) {
        rc.set(cap.getKey(), runtimeConfig.get(cap.getKey()));
      }
    }
    return rc.isEmpty() ? Optional.empty() : Optional.of(rc);
  }
}
