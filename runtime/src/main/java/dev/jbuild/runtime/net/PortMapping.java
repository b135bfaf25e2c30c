package dev.jbuild.runtime.net;

import dev.jbuild.store.JbuildException;
import java.util.Locale;

/**
 * A published port, {@code -p [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|udp]}; an empty host IP means all
 * host addresses. {@code parse(m.toString()).equals(m)}.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
  public PortMapping {
    hostIp = hostIp == null ? "" : hostIp;
    protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
      throw new JbuildException("invalid port protocol " + protocol + " (tcp, udp or sctp)");
    }
    checkPort(hostPort, "host");
    checkPort(containerPort, "container");
    if (!hostIp.isEmpty() && !hostIp.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new JbuildException("invalid host IP " + hostIp + " in port mapping");
    }
  }

  private static void checkPort(int p, String what) {
    if (p < 1 || p > 65535) {
      throw new JbuildException("invalid " + what + " port " + p + " (1-65535)");
    }
  }

  public static PortMapping parse(String s) {
    String rest = s.strip();
    String proto = "tcp";
    int slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      proto = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String ip = "";
    if (rest.startsWith("[")) {
      int close = rest.indexOf("]:");
      if (close < 0) {
        throw new JbuildException("invalid port mapping " + s);
      }
      ip = rest.substring(1, close);
      rest = rest.substring(close + 2);
    }
    String[] parts = rest.split(":");
    try {
      return switch (parts.length) {
        case 2 -> new PortMapping(ip, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), proto);
        case 3 -> new PortMapping(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), proto);
        default -> throw new JbuildException("invalid port mapping " + s + " (expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/PROTO])");
      };
    } catch (NumberFormatException e) {
      throw new JbuildException("invalid port mapping " + s + ": ports must be numbers", e);
    }
  }

  @Override
  public String toString() {
    String ip = hostIp.isEmpty() ? "" : (hostIp.contains(":") ? "[" + hostIp + "]:" : hostIp + ":");
    return ip + hostPort + ":" + containerPort + "/" + protocol;
  }
}
