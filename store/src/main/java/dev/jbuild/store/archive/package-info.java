/**
 * Image archives: saving images of the store as an OCI image layout (a tar, {@code oci-archive}, or a
 * directory, {@code oci-dir}) or as the archive {@code docker save} writes ({@code docker-archive}),
 * and loading any of them back.
 *
 * <p>Two invariants. Archives are read as a stream and entry names are only ever used as map keys:
 * every byte from an archive reaches disk through a {@link dev.jbuild.store.blob.BlobWriter} and is
 * stored under its verified digest, so hostile names ({@code ..}, absolute paths, links) can write
 * nothing anywhere. And a load tags nothing until every image it lists has been checked complete;
 * a failed load leaves only unreferenced blobs, which {@code prune} removes.
 */
package dev.jbuild.store.archive;
