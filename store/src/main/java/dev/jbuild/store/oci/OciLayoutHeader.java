package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code oci-layout} file at the root of an OCI image layout: {@code
 * {"imageLayoutVersion":"1.0.0"}}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image-layout.md</a>
 */
public record OciLayoutHeader(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {
  public static final OciLayoutHeader V1 = new OciLayoutHeader("1.0.0");

  public OciLayoutHeader {
    if (imageLayoutVersion == null || !imageLayoutVersion.matches("\\d+\\.\\d+\\.\\d+")) {
      throw new InvalidManifestException("oci-layout: imageLayoutVersion must be a version such as 1.0.0, got "
          + (imageLayoutVersion == null ? "none" : "\"" + imageLayoutVersion + "\""));
    }
  }
}
