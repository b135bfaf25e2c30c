package dev.jbuild.store.archive;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ways {@code save} can write images: the names are the ones podman and skopeo use. */
public enum ArchiveFormat {
  /** An OCI image layout in a tar file (skopeo's {@code oci-archive:}). */
  OCI_ARCHIVE("oci-archive"),
  /** An OCI image layout as a directory (skopeo's {@code oci:}). */
  OCI_DIR("oci-dir"),
  /** What {@code docker save} writes and {@code docker load} / {@code podman load} read. */
  DOCKER_ARCHIVE("docker-archive");

  private final String id;

  ArchiveFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The format a user names ({@code oci-archive}, {@code oci-dir}, {@code docker-archive}). */
  public static ArchiveFormat parse(String text) {
    for (ArchiveFormat f : values()) {
      if (f.id.equals(text)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown archive format \"" + text + "\": want one of "
        + Arrays.stream(values()).map(ArchiveFormat::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
