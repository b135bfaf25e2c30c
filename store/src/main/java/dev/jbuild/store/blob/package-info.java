/** Immutable blobs named by their digest: temp file, fsync, rename; idempotent puts. */
package dev.jbuild.store.blob;
