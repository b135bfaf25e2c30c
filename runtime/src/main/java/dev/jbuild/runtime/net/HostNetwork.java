package dev.jbuild.runtime.net;

/** No network namespace of its own: the container shares the host's stack. */
public record HostNetwork() implements Network {
  @Override
  public String name() {
    return "host";
  }
}
