package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A media type string as it appears in descriptors and manifests ({@code
 * application/vnd.oci.image.layer.v1.tar+gzip}). Any RFC 6838 shaped value is accepted; the
 * constants name the ones jbuild writes or understands.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">media-types.md</a>
 */
public record MediaType(String value) {
  // first: the constants below are built with it
  private static final java.util.regex.Pattern SHAPE =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  public static final MediaType OCI_LAYOUT_HEADER = new MediaType("application/vnd.oci.layout.header.v1+json");
  public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
  public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
  public static final MediaType OCI_CONFIG = new MediaType("application/vnd.oci.image.config.v1+json");
  public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
  public static final MediaType OCI_LAYER = new MediaType("application/vnd.oci.image.layer.v1.tar");
  public static final MediaType OCI_LAYER_GZIP = new MediaType("application/vnd.oci.image.layer.v1.tar+gzip");
  public static final MediaType OCI_LAYER_ZSTD = new MediaType("application/vnd.oci.image.layer.v1.tar+zstd");
  public static final MediaType DOCKER_MANIFEST = new MediaType("application/vnd.docker.distribution.manifest.v2+json");
  public static final MediaType DOCKER_MANIFEST_LIST =
      new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
  public static final MediaType DOCKER_CONFIG = new MediaType("application/vnd.docker.container.image.v1+json");
  public static final MediaType DOCKER_LAYER_GZIP = new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip");
  public static final MediaType DOCKER_LAYER_FOREIGN =
      new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

  public MediaType {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid media type \"" + value + "\"");
    }
  }

  @JsonCreator
  public static MediaType parse(String value) {
    return new MediaType(value);
  }

  /** True for every layer media type jbuild can apply (OCI and Docker, any supported compression). */
  public boolean isLayer() {
    return equals(OCI_LAYER) || equals(OCI_LAYER_GZIP) || equals(OCI_LAYER_ZSTD)
        || equals(DOCKER_LAYER_GZIP) || equals(DOCKER_LAYER_FOREIGN)
        || value.equals("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
  }

  public boolean isIndex() {
    return equals(OCI_INDEX) || equals(DOCKER_MANIFEST_LIST);
  }

  public boolean isManifest() {
    return equals(OCI_MANIFEST) || equals(DOCKER_MANIFEST);
  }

  // Written out: a record's generated equals and hashCode are bootstrapped through invokedynamic on
  // first use, which spins method-handle classes (~7 ms of a one-shot `jbuild run`, which compares
  // media types while it reads the image).
  @Override
  public boolean equals(Object o) {
    return o instanceof MediaType m && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @JsonValue
  @Override
  public String toString() {
    return value;
  }
}
