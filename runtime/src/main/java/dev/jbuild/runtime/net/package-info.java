/**
 * Container networking: a network namespace pinned to a file ({@link dev.jbuild.runtime.net.NetNs}),
 * the CNI plugins driven per the CNI 1.0 spec ({@link dev.jbuild.runtime.net.CniInvoker}), jbuild's
 * default bridge network with NAT and published ports ({@link dev.jbuild.runtime.net.BridgeNetwork}) and
 * the DNS files bind-mounted into a container ({@link dev.jbuild.runtime.net.DnsFiles}).
 *
 * <p>Invariant: an {@link dev.jbuild.runtime.net.Attachment} carries everything CNI DEL needs (config,
 * netns path, interface, cached result), so a crashed run can be detached by a later process.
 */
package dev.jbuild.runtime.net;
