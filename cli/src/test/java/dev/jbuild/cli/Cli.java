package dev.jbuild.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test helper: runs jbuild in process ({@link Jbuild#execute}) on one store root, capturing stdout
 * and stderr, so CLI tests need no subprocess and can run in parallel on their own roots.
 */
public final class Cli {
  private final Map<String, String> env;

  /** What a run gave: its exit code and everything it printed. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  public Cli(Path root) {
    this(root, Map.of());
  }

  public Cli(Path root, Map<String, String> extraEnv) {
    Map<String, String> e = new HashMap<>(extraEnv);
    e.put("JBUILD_ROOT", root.toString());
    e.putIfAbsent("HOME", System.getProperty("user.home"));
    e.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    this.env = Map.copyOf(e);
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
      code = Jbuild.execute(o, e, env, args);
    }
    return new Result(code, out.toString(), err.toString());
  }
}
