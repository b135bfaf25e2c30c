package dev.jbuild.store.oci;

/**
 * Pre-defined annotation keys of the image spec that jbuild reads or writes.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/annotations.md">annotations.md</a>
 */
public final class Annotations {
  /** The name of a manifest in an OCI layout's {@code index.json}; see {@code dev.jbuild.store.layout}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  public static final String CREATED = "org.opencontainers.image.created";
  public static final String BASE_NAME = "org.opencontainers.image.base.name";
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";

  private Annotations() {}
}
