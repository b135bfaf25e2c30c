/**
 * Immutable blobs named by their digest: {@link dev.jbuild.store.blob.FsBlobStore} keeps them as
 * {@code oci/blobs/sha256/<hex>}, written as temp file, fsync, rename; puts are idempotent. A blob
 * file that exists is complete and has the content its name says (unless tampered with; {@code
 * jbuild verify} checks).
 */
package dev.jbuild.store.blob;
