package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.BuildfileException;
import java.util.Locale;
import java.util.Objects;

/**
 * One EXPOSE entry: a port or an inclusive port range and a protocol ({@code tcp}, {@code udp} or
 * {@code sctp}); prints back as {@code 80/tcp} or {@code 8000-8010/udp}.
 */
public record PortSpec(int first, int last, String protocol) {
  public PortSpec {
    Objects.requireNonNull(protocol, "protocol");
    if (first < 0 || first > 65535 || last < first || last > 65535) {
      throw new IllegalArgumentException("invalid port range " + first + "-" + last);
    }
    if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
      throw new IllegalArgumentException("invalid protocol " + protocol);
    }
  }

  /** Parses {@code port[-port][/proto]} (protocol defaults to tcp, case-insensitive). */
  public static PortSpec parse(String spec) {
    String port = spec;
    String proto = "tcp";
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      port = spec.substring(0, slash);
      proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
      if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
        throw new BuildfileException(
            "invalid proto: "
                + spec.substring(slash + 1)
                + " (want tcp, udp or sctp) in port \""
                + spec
                + "\"");
      }
    }
    int dash = port.indexOf('-');
    int first = number(dash < 0 ? port : port.substring(0, dash), spec);
    int last = dash < 0 ? first : number(port.substring(dash + 1), spec);
    if (last < first) {
      throw new BuildfileException("invalid port range: " + port + " (end before start)");
    }
    return new PortSpec(first, last, proto);
  }

  private static int number(String s, String spec) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BuildfileException("invalid containerPort: " + spec);
    }
    int v = Integer.parseInt(s);
    if (v > 65535) {
      throw new BuildfileException("invalid containerPort: " + spec + " (ports go up to 65535)");
    }
    return v;
  }

  @Override
  public String toString() {
    return (first == last ? Integer.toString(first) : first + "-" + last) + "/" + protocol;
  }
}
