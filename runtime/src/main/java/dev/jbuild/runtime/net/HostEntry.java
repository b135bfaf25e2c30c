package dev.jbuild.runtime.net;

import dev.jbuild.store.JbuildException;

/** An extra /etc/hosts line, {@code --add-host NAME:IP}. */
public record HostEntry(String name, String ip) {
  public HostEntry {
    if (name == null || name.isBlank() || name.contains(" ")) {
      throw new JbuildException("invalid host name in --add-host: " + name);
    }
    if (ip == null || !ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new JbuildException("invalid IP in --add-host: " + ip);
    }
  }

  public static HostEntry parse(String s) {
    int i = s.indexOf(':');
    if (i <= 0) {
      throw new JbuildException("invalid --add-host " + s + " (expected NAME:IP)");
    }
    return new HostEntry(s.substring(0, i), s.substring(i + 1));
  }

  @Override
  public String toString() {
    return name + ":" + ip;
  }
}
