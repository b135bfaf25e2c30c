package dev.jbuild.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs jbuild in process (as jbang's CaptureResult, minus the System.setOut swap): each call gets
 * its own writers and environment, so tests on different store roots can run in parallel.
 */
public final class Cli {
  private final Map<String, String> env;

  public Cli(Path root) {
    this(root, Map.of("HOME", root.resolve("home").toString()));
  }

  /** A store root plus more environment (HOME defaults to the user's, PATH to this process's). */
  public Cli(Path root, Map<String, String> extraEnv) {
    Map<String, String> e = new HashMap<>(extraEnv);
    e.put("JBUILD_ROOT", root.toString());
    e.putIfAbsent("HOME", System.getProperty("user.home"));
    e.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    this.env = Map.copyOf(e);
  }

  public Cli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A copy with more environment variables. */
  public Cli withEnv(String key, String value) {
    Map<String, String> m = new HashMap<>(env);
    m.put(key, value);
    return new Cli(m);
  }

  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = Jbuild.execute(o, e, env, args);
    }
    return new Result(code, out.toString(), err.toString());
  }
}
