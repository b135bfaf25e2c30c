package dev.jbuild.runtime.spec;

import dev.jbuild.store.JbuildException;
import java.util.Locale;

/**
 * cgroup limits of a container as the flags give them: {@code --memory} in bytes, {@code --cpus} as a
 * fraction of CPUs and {@code --pids-limit}. Null means no limit.
 */
public record Limits(Long memoryBytes, Double cpus, Long pidsLimit) {
  public static final Limits NONE = new Limits(null, null, null);

  /** The CFS period runc gets; quota = cpus x period, as docker computes it. */
  public static final long CPU_PERIOD_US = 100_000;

  public Limits {
    if (memoryBytes != null && memoryBytes < 6 * 1024 * 1024) {
      throw new JbuildException("memory limit below the minimum of 6m: " + memoryBytes);
    }
    if (cpus != null && !(cpus > 0)) {
      throw new JbuildException("cpus must be positive: " + cpus);
    }
    if (pidsLimit != null && pidsLimit == 0) {
      throw new JbuildException("pids limit must not be 0 (use -1 for unlimited)");
    }
  }

  /** Parses a size such as {@code 16m}, {@code 1g}, {@code 512k}, {@code 1048576} or {@code 64mb}. */
  public static long parseBytes(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long mult = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> mult = 1L << 10;
        case 'm' -> mult = 1L << 20;
        case 'g' -> mult = 1L << 30;
        case 't' -> mult = 1L << 40;
        default -> mult = 1;
      }
    }
    if (mult != 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      double v = Double.parseDouble(t);
      if (v < 0 || Double.isNaN(v)) {
        throw new NumberFormatException();
      }
      return (long) (v * mult);
    } catch (NumberFormatException e) {
      throw new JbuildException("invalid size " + s + " (expected a number with an optional k, m, g or t suffix)");
    }
  }

  public Limits withMemory(long bytes) {
    return new Limits(bytes, cpus, pidsLimit);
  }

  public Limits withCpus(double n) {
    return new Limits(memoryBytes, n, pidsLimit);
  }

  public Limits withPids(long n) {
    return new Limits(memoryBytes, cpus, n);
  }
}
