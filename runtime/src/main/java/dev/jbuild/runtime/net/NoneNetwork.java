package dev.jbuild.runtime.net;

/** A fresh network namespace with only the loopback interface (runc creates it and brings lo up). */
public record NoneNetwork() implements Network {
  @Override
  public String name() {
    return "none";
  }
}
