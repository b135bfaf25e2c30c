/**
 * A client for the OCI distribution spec on {@code java.net.http}: manifests, blobs, uploads, tags,
 * Bearer and Basic auth, docker credentials, retries, and platform selection in indexes; and on
 * top of it the image transfers between a store and registries: {@link
 * dev.jbuild.store.registry.ImagePuller}, {@link dev.jbuild.store.registry.ImagePusher}, their
 * clients and mirrors ({@link dev.jbuild.store.registry.Registries}, {@link
 * dev.jbuild.store.registry.RegistryConfig}).
 *
 * <p>Invariants: every blob that comes in is verified against its digest while it streams and is
 * committed to a {@link dev.jbuild.store.blob.BlobWriter} only after the check passed; no blob is
 * ever held whole in memory (uploads buffer at most one chunk). Requests are retried only when the
 * failure is temporary (429, 5xx, connection errors), never on other 4xx.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">distribution-spec</a>
 */
package dev.jbuild.store.registry;
