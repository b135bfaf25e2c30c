/**
 * The build context: the host directory a build reads its COPY/ADD sources from, the ignore rules
 * that hide parts of it, and the content checksums the build cache keys on.
 *
 * <p><b>Ignore files.</b> Exactly one ignore file applies to a build, the first that exists of:
 * <ol>
 *   <li>{@code <Buildfile name>.dockerignore} beside the Buildfile (e.g. {@code
 *       app.Buildfile.dockerignore}), as BuildKit does for {@code <Dockerfile>.dockerignore};
 *   <li>{@code .jbuildignore} in the context root;
 *   <li>{@code .dockerignore} in the context root.
 * </ol>
 * Its lines are read like BuildKit's {@code ignorefile.ReadAll} ({@link
 * dev.jbuild.builder.context.IgnoreFile}) and matched with moby {@code patternmatcher} semantics
 * ({@link dev.jbuild.builder.context.IgnoreRules}): patterns in order, the last that applies wins,
 * a pattern also matching every path below what it matches, {@code !} re-including.
 *
 * <p><b>Invariants.</b> No path handed out by this package lies outside the context root: user
 * paths climbing out are refused and symlinks are followed as if the root were {@code /}. A
 * {@link dev.jbuild.builder.context.ContextChecksum} depends on content, type, mode, ownership and
 * link targets of the included files only, never on timestamps.
 */
package dev.jbuild.builder.context;
