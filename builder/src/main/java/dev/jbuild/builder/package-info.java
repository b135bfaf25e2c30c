/**
 * jbuild's builder module (see DESIGN.md section 3): the Buildfile front end ({@code parse}, {@code shell},
 * {@code instruction}, {@code plan}, {@code context}) and the build engine, whose facade is {@link
 * dev.jbuild.builder.Builder}: {@code build(BuildRequest, BuildListener) -> BuildResult}.
 *
 * <p>The engine builds the planned stages (independent ones in parallel), each instruction as one step with a
 * {@link dev.jbuild.builder.cache.CacheKey}; filesystem steps run over overlayfs ({@code exec}) and leave a
 * layer blob and a snapshot; metadata steps change only the config. Invariant: whatever a build mounts,
 * creates (network namespace, runc containers, temp dirs) or locks (the store's GC lock, shared) is released
 * before {@code build} returns or throws.
 */
package dev.jbuild.builder;
