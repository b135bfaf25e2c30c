/**
 * The content-addressed store: OCI model, blobs, the OCI image layout that lists every image,
 * layer codec and snapshots. {@link dev.jbuild.store.Store} is the facade; everything in the store
 * is written as temp file, fsync, rename, so a crash leaves either the old or the new state.
 */
package dev.jbuild.store;
