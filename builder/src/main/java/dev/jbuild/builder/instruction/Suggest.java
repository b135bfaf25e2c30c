package dev.jbuild.builder.instruction;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" hints: the closest option within an edit distance of 2, as BuildKit's {@code
 * util/suggest} picks them (an exact match gives no hint; ties go to the first option in order).
 */
public final class Suggest {
  private Suggest() {}

  /** The option closest to {@code value}, written in {@code value}'s case when case-insensitive. */
  public static Optional<String> closest(
      String value, List<String> options, boolean caseSensitive) {
    String v = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
    String best = null;
    int min = 3;
    for (String o : options) {
      String opt = caseSensitive ? o : o.toLowerCase(Locale.ROOT);
      if (opt.equals(v)) {
        return Optional.empty();
      }
      int d = distance(v, opt);
      if (d < min) {
        min = d;
        best = caseSensitive ? o : matchCase(opt, value);
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code message} with {@code " (did you mean X?)"} appended when there is a close option. */
  public static String wrap(
      String message, String value, List<String> options, boolean caseSensitive) {
    return closest(value, options, caseSensitive)
        .map(m -> message + " (did you mean " + m + "?)")
        .orElse(message);
  }

  private static String matchCase(String lower, String orig) {
    if (orig.equals(orig.toUpperCase(Locale.ROOT))) {
      return lower.toUpperCase(Locale.ROOT);
    }
    return lower;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
