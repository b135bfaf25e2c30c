/**
 * The layer tar codec: {@link dev.jbuild.store.layer.LayerWriter} turns a directory in overlayfs
 * format (an overlay upper dir) into an OCI layer tar stream, {@link
 * dev.jbuild.store.layer.LayerApplier} turns one back into a directory, and {@link
 * dev.jbuild.store.layer.Compression} frames the bytes (a parallel gzip, zstd or none).
 *
 * <p>Invariants: the writer is deterministic (entries sorted by path bytes, numeric ids, no
 * atime/ctime, mtimes in whole seconds, clamped to a source date epoch when given) and computes
 * the diffID in the same single pass; the applier never writes outside its target directory,
 * whatever the archive says, and never follows a symlink it did not resolve itself. The tar
 * headers are encoded and decoded here (not by commons-compress) so that binary xattr values in
 * {@code SCHILY.xattr.*} PAX records survive byte for byte.
 */
package dev.jbuild.store.layer;
