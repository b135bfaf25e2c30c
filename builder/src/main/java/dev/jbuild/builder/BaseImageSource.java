package dev.jbuild.builder;

import dev.jbuild.store.image.Image;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;

/**
 * Where a build gets a base image ({@code FROM name}) that is not in the local store: a registry,
 * through the store's image puller. The image it returns is in the store afterwards.
 */
@FunctionalInterface
public interface BaseImageSource {
  /** Fetches {@code ref} into the store; fails with a message naming the image when it cannot. */
  Image fetch(ImageRef ref) throws IOException;

  /** No source: a base image must already be in the store. */
  BaseImageSource NONE = ref -> {
    throw new dev.jbuild.store.image.ImageNotFoundException(ref.familiar()
        + " (not in the local store, and this build has no registry access)");
  };
}
