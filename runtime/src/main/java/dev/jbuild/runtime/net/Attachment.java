package dev.jbuild.runtime.net;

import java.nio.file.Path;

/**
 * A container's attachment to a CNI network: everything CNI DEL needs, kept in the container's ledger
 * so a later process can detach after a crash.
 *
 * @param conflist the network configuration list JSON the plugins were run with
 * @param runtimeConfig the runtimeConfig JSON (port mappings), may be {@code "{}"}
 * @param result the ADD result JSON ({@code "{}"} until ADD has succeeded)
 */
public record Attachment(String containerId, Path netns, String ifname, String conflist, String runtimeConfig,
    String result) {
  public Attachment withResult(String r) {
    return new Attachment(containerId, netns, ifname, conflist, runtimeConfig, r);
  }
}
