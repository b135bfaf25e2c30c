package dev.jbuild.builder.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser directives found before the first instruction: {@code # syntax=}, {@code # escape=}
 * (backslash or backtick) and {@code # check=}.
 */
public record Directives(Optional<String> syntax, char escape, Optional<String> check) {
  public Directives {
    Objects.requireNonNull(syntax, "syntax");
    Objects.requireNonNull(check, "check");
    if (escape != '\\' && escape != '`') {
      throw new IllegalArgumentException("[internal error] escape must be \\ or `");
    }
  }

  public static Directives defaults() {
    return new Directives(Optional.empty(), '\\', Optional.empty());
  }

  /**
   * A directive found by {@link #detect}: the value up to its first space, the whole value, and its
   * 1-based line.
   */
  public record Found(String ref, String cmdline, int line) {}

  /** Loaded only when a JSON directive is looked for, so plain parsing never pays for Jackson. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Finds directive {@code key} at the top of a file without parsing it (BuildKit's {@code
   * DetectSyntax}/{@code ParseDirective}): a UTF-8 BOM and a first {@code #!} line are skipped;
   * with {@code anyFormat}, {@code //key=} comments and a whole-file JSON object {@code {"key":
   * ...}} are accepted too.
   */
  public static Optional<Found> detect(String key, String text, boolean anyFormat) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    int line = 0;
    int nl = t.indexOf('\n');
    String firstLine = nl < 0 ? t : t.substring(0, nl);
    if (firstLine.startsWith("#!")) {
      t = nl < 0 ? "" : t.substring(nl + 1);
      line = 1;
    }
    Optional<Found> f = scan(key, t, "#", line);
    if (f.isPresent() || !anyFormat) {
      return f;
    }
    f = scan(key, t, "//", line);
    if (f.isPresent()) {
      return f;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(t);
      if (n != null && n.isObject() && n.get(key) != null && n.get(key).isTextual()) {
        String v = n.get(key).asText();
        return Optional.of(new Found(v, v, line));
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not JSON: no directive
    }
    return Optional.empty();
  }

  private static Optional<Found> scan(String key, String text, String comment, int line) {
    Pattern p =
        Pattern.compile(
            "^"
                + Pattern.quote(comment)
                + "[\\t\\n"
                + "\\f\\r"
                + " ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n"
                + "\\f\\r"
                + " ]*=[\\t\\n"
                + "\\f\\r"
                + " ]*(.+?)[\\t\\n"
                + "\\f\\r"
                + " ]*\\z",
            Pattern.DOTALL);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String l : text.split("\n", -1)) {
      line++;
      String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
      Matcher m = p.matcher(s);
      if (!m.matches()) {
        break;
      }
      String k = m.group(1).toLowerCase(Locale.ROOT);
      if (!k.equals("syntax") && !k.equals("escape") && !k.equals("check")) {
        break;
      }
      if (!seen.add(k)) {
        break;
      }
      if (k.equals(key)) {
        String v = m.group(2);
        int sp = v.indexOf(' ');
        return Optional.of(new Found(sp < 0 ? v : v.substring(0, sp), v, line));
      }
    }
    return Optional.empty();
  }
}
