package dev.jbuild.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calling process's resource limits as {@code /proc/self/limits} lists them. A container's
 * rlimits are clamped to these hard limits: raising a hard limit needs CAP_SYS_RESOURCE, which jbuild
 * may not have (podman fails on exactly this with nofile 1048576 against a hard limit of 20000).
 */
public record HostLimits(Map<String, long[]> limits) {
  /** -1 in {@code long[]{soft, hard}} means unlimited. */
  public static final long UNLIMITED = -1;

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("Max cpu time", "RLIMIT_CPU"),
      Map.entry("Max file size", "RLIMIT_FSIZE"),
      Map.entry("Max data size", "RLIMIT_DATA"),
      Map.entry("Max stack size", "RLIMIT_STACK"),
      Map.entry("Max core file size", "RLIMIT_CORE"),
      Map.entry("Max resident set", "RLIMIT_RSS"),
      Map.entry("Max processes", "RLIMIT_NPROC"),
      Map.entry("Max open files", "RLIMIT_NOFILE"),
      Map.entry("Max locked memory", "RLIMIT_MEMLOCK"),
      Map.entry("Max address space", "RLIMIT_AS"),
      Map.entry("Max file locks", "RLIMIT_LOCKS"),
      Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
      Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"),
      Map.entry("Max nice priority", "RLIMIT_NICE"),
      Map.entry("Max realtime priority", "RLIMIT_RTPRIO"),
      Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

  public HostLimits {
    limits = Map.copyOf(limits);
  }

  public static HostLimits read() throws IOException {
    return parse(Files.readString(Path.of("/proc/self/limits")));
  }

  /** Parses the text of {@code /proc/<pid>/limits}. */
  public static HostLimits parse(String text) {
    Map<String, long[]> m = new HashMap<>();
    for (String line : text.split("\n")) {
      for (Map.Entry<String, String> e : NAMES.entrySet()) {
        if (line.startsWith(e.getKey() + " ")) {
          String[] cols = line.substring(e.getKey().length()).trim().split("\\s+");
          if (cols.length >= 2) {
            m.put(e.getValue(), new long[] {value(cols[0]), value(cols[1])});
          }
        }
      }
    }
    return new HostLimits(m);
  }

  private static long value(String s) {
    return s.equals("unlimited") ? UNLIMITED : Long.parseLong(s);
  }

  /** The hard limit of {@code type} ({@code RLIMIT_NOFILE}), if known and not unlimited. */
  public Optional<Long> hard(String type) {
    long[] v = limits.get(type);
    return v == null || v[1] == UNLIMITED ? Optional.empty() : Optional.of(v[1]);
  }

  /** {@code wanted} with both values lowered to the hard limit where it is smaller. */
  public RuntimeSpec.Rlimit clamp(RuntimeSpec.Rlimit wanted) {
    Optional<Long> hard = hard(wanted.type());
    if (hard.isEmpty()) {
      return wanted;
    }
    long h = Math.min(wanted.hard(), hard.get());
    return new RuntimeSpec.Rlimit(wanted.type(), h, Math.min(wanted.soft(), h));
  }
}
