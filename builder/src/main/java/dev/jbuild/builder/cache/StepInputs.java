package dev.jbuild.builder.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The named inputs of one build step, in a fixed order: {@code instruction}, {@code user}, {@code workdir},
 * {@code shell}, {@code env:NAME}, {@code arg:NAME}, {@code source:PATH} ... Names make a cache miss explainable:
 * {@link #whatChanged} compares two builds of the same step. Nothing secret may be an input.
 */
public record StepInputs(Map<String, String> entries) {
  public StepInputs {
    Objects.requireNonNull(entries, "entries");
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /** A builder-style helper: inputs in insertion order. */
  public static final class Builder {
    private final LinkedHashMap<String, String> m = new LinkedHashMap<>();

    public Builder put(String name, String value) {
      m.put(name, value == null ? "" : value);
      return this;
    }

    public StepInputs build() {
      return new StepInputs(m);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Why this step's inputs differ from {@code previous} (the same step's last build), as short phrases; empty
   * when they are equal (then the parent step changed, or the record was pruned).
   */
  public List<String> whatChanged(StepInputs previous) {
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(entries.keySet());
    names.addAll(previous.entries.keySet());
    for (String n : names) {
      String now = entries.get(n);
      String before = previous.entries.get(n);
      if (Objects.equals(now, before)) {
        continue;
      }
      out.add(describe(n, before, now));
    }
    return out;
  }

  private static String describe(String name, String before, String now) {
    int colon = name.indexOf(':');
    String kind = colon < 0 ? name : name.substring(0, colon);
    String what = colon < 0 ? name : name.substring(colon + 1);
    String label = switch (kind) {
      case "arg" -> "build arg " + what;
      case "env" -> "env " + what;
      case "source" -> "file " + what;
      case "from" -> "source stage or image " + what;
      default -> name;
    };
    if (before == null) {
      return label + " added";
    }
    if (now == null) {
      return label + " removed";
    }
    if (kind.equals("source") || kind.equals("from")) {
      return label + " changed";
    }
    return label + " changed: \"" + shorten(before) + "\" -> \"" + shorten(now) + "\"";
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
