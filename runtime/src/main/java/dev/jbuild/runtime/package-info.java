/**
 * jbuild's runtime module: runs containers on an overlayfs rootfs with runc, in their own namespaces,
 * networked through the CNI plugins. {@link dev.jbuild.runtime.Runtime} is the facade ({@code run},
 * {@code start}, {@code ps}, {@code stop}, {@code kill}, {@code rm}, {@code exec}, {@code logs},
 * {@code inspect}); its input is plain data (rootfs layer directories and a {@link
 * dev.jbuild.runtime.spec.ContainerSpec}), so this module knows no image format (DESIGN.md section 4).
 *
 * <p>Invariant: every host resource a container acquires is in its ledger first and is released in
 * reverse order, by the owner, by a shutdown hook, or by the reaper that every entry point runs.
 */
package dev.jbuild.runtime;
