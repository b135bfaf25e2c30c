/**
 * {@code jbuild build --output}: a built image written outside the store, as an OCI image layout (directory
 * or tar), as a tar that both {@code docker load} and OCI tools read, or as the flattened root filesystem.
 * Written with jbuild's own code: an OCI layout holds the same blobs as the store, copied as they are.
 */
package dev.jbuild.builder.output;
