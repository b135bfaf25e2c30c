package dev.jbuild.runtime.net;

/** How a container is connected: a closed set, so every consumer handles each kind. */
public sealed interface Network permits NoneNetwork, HostNetwork, BridgeNetwork {
  /** The network's name as {@code --network} and {@code inspect} show it. */
  String name();
}
