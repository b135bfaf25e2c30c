package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.BuildfileException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's duration syntax ({@code time.ParseDuration}): a signed sequence of decimal numbers with
 * units {@code ns us µs ms s m h}, such as {@code 1h30m} or {@code 1.5s}; {@code 0} needs no unit.
 */
public final class GoDuration {
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** Parses {@code s}; throws a BuildfileException (without range) naming the problem. */
  public static Duration parse(String s) {
    String orig = s;
    int i = 0;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      neg = s.charAt(i) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    BigDecimal total = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      int intEnd = i;
      int fracStart = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        fracStart = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
      }
      String intPart = s.substring(start, intEnd);
      String fracPart = fracStart <= i && intEnd < i ? s.substring(fracStart, i) : "";
      if (intPart.isEmpty() && fracPart.isEmpty()) {
        throw invalid(orig);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new BuildfileException("time: missing unit in duration " + quote(orig));
      }
      long nanos =
          switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default ->
                throw new BuildfileException(
                    "time: unknown unit " + quote(unit) + " in duration " + quote(orig));
          };
      BigDecimal value =
          new BigDecimal(
              (intPart.isEmpty() ? "0" : intPart) + (fracPart.isEmpty() ? "" : "." + fracPart));
      total = total.add(value.multiply(BigDecimal.valueOf(nanos)));
      if (total.toBigInteger().compareTo(MAX) > 0) {
        throw invalid(orig);
      }
    }
    long n = total.toBigInteger().longValueExact();
    return Duration.ofNanos(neg ? -n : n);
  }

  /** Prints a duration the way Go's {@code Duration.String} does ({@code 1m30s}, {@code 1ms}). */
  public static String format(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    String sign = n < 0 ? "-" : "";
    long a = Math.abs(n);
    if (a < 1_000) {
      return sign + a + "ns";
    }
    if (a < 1_000_000) {
      return sign + BigDecimal.valueOf(a, 3).stripTrailingZeros().toPlainString() + "µs";
    }
    if (a < 1_000_000_000) {
      return sign + BigDecimal.valueOf(a, 6).stripTrailingZeros().toPlainString() + "ms";
    }
    long h = a / 3_600_000_000_000L;
    long m = (a / 60_000_000_000L) % 60;
    BigDecimal sec = BigDecimal.valueOf(a % 60_000_000_000L, 9).stripTrailingZeros();
    StringBuilder sb = new StringBuilder(sign);
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(sec.toPlainString()).append('s').toString();
  }

  private static BuildfileException invalid(String s) {
    return new BuildfileException("time: invalid duration " + quote(s));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
