/**
 * Content digests: the {@link dev.jbuild.store.digest.Digest} value and the streams that compute
 * and verify digests in the same pass that moves the bytes. Hashing uses the JDK's MessageDigest.
 */
package dev.jbuild.store.digest;
