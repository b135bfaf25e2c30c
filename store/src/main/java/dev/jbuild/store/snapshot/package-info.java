/**
 * Snapshots: unpacked layers in overlayfs format under {@code <root>/snapshots/<chainid-hex>/},
 * each usable directly as an overlay lowerdir, named by the {@link dev.jbuild.store.snapshot.ChainId}
 * of the layer stack they end.
 *
 * <p>Invariant: a snapshot directory is complete or absent. It is filled under {@code <root>/tmp/}
 * and renamed into place without replacing anything (renameat2 RENAME_NOREPLACE), so concurrent
 * creators of one id both succeed and exactly one tree survives; removal renames it out before
 * deleting.
 */
package dev.jbuild.store.snapshot;
