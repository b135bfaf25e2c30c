/**
 * The OCI image model as self-validating records ({@link dev.jbuild.store.oci.Manifest}, {@link
 * dev.jbuild.store.oci.Index}, {@link dev.jbuild.store.oci.ImageConfig}, ...), serialised by one
 * configured mapper, {@link dev.jbuild.store.oci.OciJson}, into canonical bytes, since digests
 * depend on them.
 *
 * <p>Invariants: a model value that exists is valid (constructors check the spec's rules); {@code
 * OciJson.read(OciJson.write(v), type).equals(v)}; readers accept Docker schema 2 manifests, manifest
 * lists and configs as well as OCI ones. Values are changed only through {@code with...} methods
 * that return new values.
 */
package dev.jbuild.store.oci;
