/**
 * The OCI runtime bundle's {@code config.json} as records ({@link dev.jbuild.runtime.spec.RuntimeSpec}),
 * docker's hardened defaults ({@link dev.jbuild.runtime.spec.SpecDefaults}, {@link
 * dev.jbuild.runtime.spec.SeccompProfiles}) and the translation of a {@link
 * dev.jbuild.runtime.spec.ContainerSpec} into a runtime spec ({@link dev.jbuild.runtime.spec.SpecGenerator}).
 *
 * <p>Invariant: every generated config validates against the OCI runtime-spec JSON schema, and no
 * rlimit exceeds the calling process's hard limit (raising one needs CAP_SYS_RESOURCE).
 */
package dev.jbuild.runtime.spec;
