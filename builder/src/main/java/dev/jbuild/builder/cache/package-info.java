/**
 * The build cache: {@link dev.jbuild.builder.cache.CacheKey} is the one pure function that names a step's result
 * from its inputs ({@link dev.jbuild.builder.cache.StepInputs}), and {@link dev.jbuild.builder.cache.BuildCache}
 * keeps, under {@code <root>/cache/}, one record per key (the layer it made, if any, the config after it and its
 * history entry) and the inputs of the last build of every step, so that a miss can say what changed.
 *
 * <p>Invariant: a record is written only after its layer blob is committed, and records are written by rename, so
 * a reader sees a whole record whose blobs exist unless a prune removed them (a hit checks that they are still
 * there). Blobs a record names are garbage-collection roots ({@link dev.jbuild.builder.cache.BuildCache#referencedBlobs}).
 *
 * <p>Caches travel between stores as OCI images ({@link dev.jbuild.builder.cache.CacheTransport}: an image layout
 * directory or a registry reference) whose config blob is a {@link dev.jbuild.builder.cache.CacheManifest} and whose
 * layers are the blobs its records name. Imported records are remote: a hit on one fetches only its layer blob,
 * verified, and keeps the record locally.
 */
package dev.jbuild.builder.cache;
