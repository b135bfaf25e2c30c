package dev.jbuild.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How the commands print sizes, ages and tables (docker's habits). */
final class Formats {
  private Formats() {}

  /** docker's units: 1000-based, three significant digits ({@code 2.13MB}). */
  static String size(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? bytes + "B" : String.format(Locale.ROOT, v >= 100 ? "%.0f%s" : v >= 10 ? "%.1f%s" : "%.2f%s", v, units[u]);
  }

  /** "3 minutes ago", as docker prints a creation time. */
  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "N/A";
    }
    Duration d = Duration.between(then, now);
    if (d.isNegative()) {
      return "in the future";
    }
    long s = d.getSeconds();
    if (s < 1) {
      return "Less than a second ago";
    }
    if (s < 60) {
      return s + " second" + (s == 1 ? "" : "s") + " ago";
    }
    if (s < 3600) {
      return plural(s / 60, "minute") + " ago";
    }
    if (s < 86400 * 2) {
      return plural(s / 3600, "hour") + " ago";
    }
    if (s < 86400 * 14) {
      return plural(s / 86400, "day") + " ago";
    }
    if (s < 86400 * 60) {
      return plural(s / (86400 * 7), "week") + " ago";
    }
    if (s < 86400L * 365 * 2) {
      return plural(s / (86400 * 30), "month") + " ago";
    }
    return plural(s / (86400 * 365), "year") + " ago";
  }

  private static String plural(long n, String unit) {
    return (n == 1 ? (unit.equals("hour") ? "An" : "A") : String.valueOf(n)) + " " + unit + (n == 1 ? "" : "s");
  }

  /** Left-aligned columns separated by three spaces, as docker's tables. */
  static String table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(r[i]);
        if (i < cols - 1) {
          line.append(" ".repeat(w[i] - r[i].length() + 3));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
