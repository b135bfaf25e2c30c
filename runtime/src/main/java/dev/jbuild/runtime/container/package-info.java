/**
 * Containers on disk: {@code <storeRoot>/containers/<id>/} holds the bundle ({@code config.json}, the
 * {@code rootfs} mountpoint), the overlay {@code upper}/{@code work} dirs, the DNS files, the logs and
 * {@code state.json} ({@link dev.jbuild.runtime.container.ContainerState}).
 *
 * <p>Invariant: every host resource a container holds is in its state's ledger before it is acquired
 * ({@link dev.jbuild.runtime.container.ResourceLedger}); releasing replays the ledger in reverse, so the
 * owning process, a shutdown hook or a later {@link dev.jbuild.runtime.container.Reaper} can all do it.
 */
package dev.jbuild.runtime.container;
