package dev.jbuild.builder.plan;

import dev.jbuild.builder.parse.BuildfileException;
import java.util.Locale;
import java.util.Set;

/** STOPSIGNAL values: a Linux signal name (with or without {@code SIG}) or number 1 to 64. */
final class Signals {
  private static final Set<String> NAMES =
      Set.of(
          "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
          "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
          "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
          "RTMIN", "RTMAX");

  private Signals() {}

  static void check(String sig) {
    if (sig.matches("[0-9]{1,2}")) {
      int n = Integer.parseInt(sig);
      if (n >= 1 && n <= 64) {
        return;
      }
    }
    String name = sig.toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    if (NAMES.contains(name) || name.matches("RTMIN\\+([1-9]|1[0-5])|RTMAX-([1-9]|1[0-5])")) {
      return;
    }
    throw new BuildfileException("invalid signal: " + sig);
  }
}
