package dev.jbuild.builder;

import dev.jbuild.store.image.Image;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;

/**
 * Where a build gets a base image ({@code FROM name}) that is not in the local store: a registry,
 * through the store's image puller. The image it returns is in the store afterwards. Its {@link
 * #policy()} says when the build asks it ({@code --pull}).
 */
@FunctionalInterface
public interface BaseImageSource {
  /** When a build fetches a base image named by a registry reference ({@code --pull=missing|always|never}). */
  enum Policy {
    /** Only when the store lacks it (docker's default): a local image of that name wins. */
    MISSING,
    /**
     * Always (docker's {@code --pull}): the tag is resolved against the registry again, and the
     * image pulled when its digest changed; an image named by id or digest is used as it is.
     */
    ALWAYS,
    /** Never: a base image missing from the store is an error, and no registry is contacted. */
    NEVER,
    /**
     * As {@link #ALWAYS} (podman's {@code --pull=newer}: the registry's image is taken when its digest
     * differs), but when the registry cannot be asked, a local image of that name is used, with a
     * warning, instead of failing the build.
     */
    NEWER;

    /** Parses {@code --pull}'s value: {@code true|always}, {@code missing}, {@code newer}, {@code false|never}. */
    public static Policy parse(String text) {
      return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "always", "" -> ALWAYS;
        case "missing" -> MISSING;
        case "newer" -> NEWER;
        case "false", "never" -> NEVER;
        default -> throw new IllegalArgumentException("invalid --pull \"" + text + "\": want always, missing, newer or never");
      };
    }
  }

  /** Fetches {@code ref} into the store; fails with a message naming the image when it cannot. */
  Image fetch(ImageRef ref) throws IOException;

  /**
   * Fetches {@code ref} for a platform a stage names itself ({@code FROM --platform=P}), which may
   * differ from the build's {@link #platform()}.
   */
  default Image fetch(ImageRef ref, dev.jbuild.store.oci.Platform platform) throws IOException {
    return fetch(ref);
  }

  /** When the build calls {@link #fetch}; {@link Policy#MISSING} unless the source says otherwise. */
  default Policy policy() {
    return Policy.MISSING;
  }

  /** The platform picked from multi-platform images ({@code --platform}; linux/amd64 by default). */
  default dev.jbuild.store.oci.Platform platform() {
    return dev.jbuild.store.oci.Platform.LINUX_AMD64;
  }

  /**
   * Whether a local image of the name asked for may be used as it is; false makes the build fetch
   * it ({@code --platform} asking for another platform than the local image's).
   */
  default boolean accepts(Image local) {
    return true;
  }

  /** No source: a base image must already be in the store. */
  BaseImageSource NONE = ref -> {
    throw new dev.jbuild.store.image.ImageNotFoundException(ref.familiar()
        + " (not in the local store, and this build has no registry access)");
  };
}
