package dev.jbuild.cli.progress;

import dev.jbuild.builder.event.BuildListener;
import dev.jbuild.builder.event.StepId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Renders build events for a human or a program; which one is {@code --progress}'s choice. */
public sealed interface ProgressRenderer extends BuildListener permits PlainRenderer, JsonRenderer, TtyRenderer {

  /**
   * The renderer {@code --progress} names: {@code plain}, {@code json}, {@code tty}, or {@code auto} (tty when
   * there is a console and TERM is not dumb, else plain).
   */
  static ProgressRenderer of(String mode, PrintWriter out, Map<String, String> env) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "plain" -> new PlainRenderer(out);
      case "json" -> new JsonRenderer(out);
      case "tty" -> new TtyRenderer(out);
      case "auto" -> System.console() != null
          && !"dumb".equals(env.getOrDefault("TERM", "dumb")) ? new TtyRenderer(out) : new PlainRenderer(out);
      default -> throw new IllegalArgumentException("unknown --progress \"" + mode + "\": want auto, tty, plain or json");
    };
  }

  /** {@code #3 [2/5] RUN echo hi} ({@code [name 2/5]} in a named stage). */
  static String header(StepId s) {
    boolean unnamed = s.stage().chars().allMatch(Character::isDigit);
    return "#" + s.number() + " [" + (unnamed ? "" : s.stage() + " ") + s.index() + "/" + s.total() + "] " + s.text();
  }

  /** Seconds with one decimal, as BuildKit prints them. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toNanos() / 1e9);
  }
}
