package dev.jbuild.runtime.spec;

/** How a container is networked: the jbuild bridge with NAT, only loopback, or the host's stack. */
public enum NetworkMode {
  BRIDGE, NONE, HOST;

  /** Parses {@code bridge|none|host} as {@code --network} takes it. */
  public static NetworkMode parse(String s) {
    return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "bridge", "default" -> BRIDGE;
      case "none" -> NONE;
      case "host" -> HOST;
      default -> throw new dev.jbuild.store.JbuildException("unknown network mode " + s + " (bridge, none or host)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
