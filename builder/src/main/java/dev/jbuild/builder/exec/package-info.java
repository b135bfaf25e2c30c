/**
 * How filesystem steps run: {@link dev.jbuild.builder.exec.StepRootfs} mounts an overlay of a chain's snapshots
 * with a fresh upper dir (the step's diff), {@link dev.jbuild.builder.exec.RunExecutor} runs a RUN command in it
 * with runc, {@link dev.jbuild.builder.exec.FileCopier} writes ADD/COPY sources into it from the host side,
 * {@link dev.jbuild.builder.exec.LayerCommit} turns the upper dir into a layer blob and a snapshot, and {@link
 * dev.jbuild.builder.exec.BuildNetwork} is the one network namespace the RUN steps of a build share.
 *
 * <p>Invariant: every path inside a rootfs is resolved within it ({@link dev.jbuild.builder.exec.RootfsPaths}):
 * symlinks of the image are followed relative to the rootfs and {@code ..} never climbs above it, so a hostile
 * base image cannot make a step write on the host. Every mount, namespace and runc container a step acquires is
 * released by {@code close()}, on success and failure alike.
 */
package dev.jbuild.builder.exec;
