/**
 * The OCI image model as self-validating records, serialised by one configured mapper into
 * canonical bytes (their digests depend on it).
 */
package dev.jbuild.store.oci;
