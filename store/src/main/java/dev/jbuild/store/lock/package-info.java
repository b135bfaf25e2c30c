/**
 * The store's lock: {@link dev.jbuild.store.lock.StoreLock} excludes other processes (a file lock
 * on {@code <root>/lock}) and other threads (an in-process lock, since file locks are per JVM).
 * Everything that rewrites shared mutable files of the store ({@code index.json}) or deletes blobs
 * holds it; blob writes do not need it, since blobs are immutable and renamed into place.
 */
package dev.jbuild.store.lock;
