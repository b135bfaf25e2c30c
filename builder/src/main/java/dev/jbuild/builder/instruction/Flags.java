package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --flags} of one instruction checked against the flags it accepts (BuildKit's {@code
 * BFlags}): booleans ({@code --link}, {@code --link=false}), single strings ({@code --from=x}) and
 * repeatable strings ({@code --mount=...}). Errors point at the offending flag.
 */
final class Flags {
  enum Kind {
    BOOL,
    STRING,
    STRINGS
  }

  private final Node node;
  private final Map<String, Kind> declared = new LinkedHashMap<>();
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  Flags(Node node) {
    this.node = node;
  }

  Flags declare(String name, Kind kind) {
    declared.put(name, kind);
    return this;
  }

  /** Checks every flag of the node; call after declaring. */
  Flags parse() {
    for (String arg : node.flags()) {
      if (!arg.startsWith("--")) {
        throw node.error("flag should start with -- : " + arg, arg);
      }
      if (arg.equals("--")) {
        return this;
      }
      String body = arg.substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String value = eq < 0 ? "" : body.substring(eq + 1);
      Kind kind = declared.get(name);
      if (kind == null) {
        String msg =
            declared.isEmpty()
                ? "unknown flag: --"
                    + name
                    + " ("
                    + node.command().toUpperCase(Locale.ROOT)
                    + " takes no flags)"
                : Suggest.wrap(
                    "unknown flag: --" + name,
                    "--" + name,
                    declared.keySet().stream().map(k -> "--" + k).toList(),
                    true);
        throw node.error(msg, "--" + name);
      }
      if (values.containsKey(name) && kind != Kind.STRINGS) {
        throw node.error("duplicate flag specified: --" + name, "--" + name);
      }
      switch (kind) {
        case BOOL -> {
          if (eq >= 0 && value.isEmpty()) {
            throw node.error("missing a value on flag: --" + name, "--" + name);
          }
          String lower = value.toLowerCase(Locale.ROOT);
          if (!lower.isEmpty() && !lower.equals("true") && !lower.equals("false")) {
            throw node.error(
                "expecting boolean value for flag --" + name + ", not: " + value, "--" + name);
          }
          values.put(name, List.of(lower.isEmpty() ? "true" : lower));
        }
        case STRING, STRINGS -> {
          if (eq < 0) {
            throw node.error("missing a value on flag: --" + name, "--" + name);
          }
          values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      }
    }
    return this;
  }

  Optional<String> string(String name) {
    List<String> v = values.get(name);
    return v == null ? Optional.empty() : Optional.of(v.get(0));
  }

  boolean bool(String name) {
    return string(name).map(Boolean::parseBoolean).orElse(false);
  }

  Optional<Boolean> optionalBool(String name) {
    return string(name).map(Boolean::parseBoolean);
  }

  List<String> strings(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  /** The names of the flags that were given. */
  Set<String> used() {
    return new LinkedHashSet<>(values.keySet());
  }
}
