/**
 * The content-addressed store: OCI model, blobs, the OCI image layout that lists every image,
 * layer codec and snapshots. {@link dev.jbuild.store.Store} is the facade over a {@link
 * dev.jbuild.store.StoreRoot}; everything in the store is written as temp file (in {@code tmp/}),
 * fsync, rename, so a crash leaves either the old or the new state, and shared files are rewritten
 * only under {@link dev.jbuild.store.lock.StoreLock}.
 */
package dev.jbuild.store;
