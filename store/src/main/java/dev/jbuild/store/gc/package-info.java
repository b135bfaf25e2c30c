/**
 * Garbage collection of the store's blobs: mark from {@code index.json} and the caller's extra
 * roots, sweep what is unmarked, under the store lock. Never deletes a blob reachable from a listed
 * image, nor a blob newer than the grace period the caller gives.
 */
package dev.jbuild.store.gc;
