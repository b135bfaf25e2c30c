/**
 * The store's OCI image layout ({@code <root>/oci}), whose {@code index.json} lists every image.
 *
 * <p>Naming: a tagged image's descriptor carries {@code org.opencontainers.image.ref.name} = the
 * reference in docker's familiar form, always with its tag and never with a digest: {@code
 * jbuild tag x myimg:1} writes {@code myimg:1}, {@code busybox} becomes {@code busybox:latest},
 * {@code docker.io/user/app:2} becomes {@code user/app:2}, other registries stay ({@code
 * localhost:5000/a/b:t}). skopeo (containers/image) and umoci match that annotation literally, so
 * {@code skopeo inspect oci:<root>/oci:myimg:1} finds what the user named {@code myimg:1} (checked
 * by {@code SkopeoInteropIT} and {@code UmociInteropIT}); a name typed without a tag ({@code myimg})
 * is stored as {@code myimg:latest}, which skopeo needs spelled out. The full normalised form
 * ({@code docker.io/library/myimg:1}) was rejected because it would make {@code
 * oci:<root>/oci:myimg:1} fail for the name the user typed; a bare tag ({@code 1}, umoci's habit)
 * because names would collide across repositories. Entries other tools wrote in the full form are
 * still found by name.
 *
 * <p>Invariants: {@code index.json} and {@code oci-layout} are only ever replaced by an atomic
 * rename of a fsynced file; updates are read-modify-write under {@link dev.jbuild.store.lock.StoreLock},
 * so concurrent taggers in several threads and processes never lose each other's names; a name
 * appears at most once.
 */
package dev.jbuild.store.layout;
