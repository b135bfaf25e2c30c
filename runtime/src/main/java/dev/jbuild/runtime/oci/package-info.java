/**
 * The driver of an OCI low-level runtime binary ({@link dev.jbuild.runtime.oci.RuncRuntime} for runc;
 * the {@link dev.jbuild.runtime.oci.OciRuntime} interface leaves room for crun).
 *
 * <p>Invariant: every runtime call uses jbuild's own state root ({@code /run/jbuild/runc} by
 * default), so jbuild's containers never mix with other tools' and leak checks can list them; a
 * failing call raises {@link dev.jbuild.runtime.oci.RuntimeFailureException} with the runtime's exit
 * code and its last error lines.
 */
package dev.jbuild.runtime.oci;
