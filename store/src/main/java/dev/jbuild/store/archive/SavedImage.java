package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.image.ImageNotFoundException;
import dev.jbuild.store.layout.OciLayout;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An image to save: its manifest (or index) descriptor, without the store's name annotation, and
 * the name it is saved under, if the user named it by name (an image saved by id goes untagged, as
 * {@code docker save ID} does).
 */
public record SavedImage(Optional<ImageRef> name, Descriptor descriptor) {
  public SavedImage {
    if (name == null || descriptor == null) {
      throw new IllegalArgumentException("[internal error] saved image needs a name (or empty) and a descriptor");
    }
    name.ifPresent(OciLayout::refName);
    Map<String, String> a = new HashMap<>(descriptor.annotationsOrEmpty());
    a.remove(Annotations.REF_NAME);
    descriptor = descriptor.withAnnotations(a);
  }

  /** The image a user's text names in a store: a reference, an image id (prefix) or a digest. */
  public static SavedImage resolve(Store store, String text) throws IOException {
    Descriptor d = store.layout().resolve(text).orElseThrow(() -> new ImageNotFoundException(text));
    Optional<ImageRef> name = Optional.empty();
    String refName = d.annotationsOrEmpty().get(Annotations.REF_NAME);
    if (refName != null && !text.startsWith("sha256:")) {
      try {
        ImageRef ref = ImageRef.parse(text);
        // by name only when the text is that name, not an id prefix that happens to parse as one
        if (ref.tag().isPresent() && ref.digest().isEmpty() && OciLayout.refName(ref).equals(refName)) {
          name = Optional.of(ref);
        }
      } catch (InvalidRefException e) {
        // an id prefix: saved without a name
      }
    }
    return new SavedImage(name, d);
  }

  /** The annotation value naming this image in an archive's {@code index.json} ({@code busybox:latest}). */
  public Optional<String> refName() {
    return name.map(OciLayout::refName);
  }
}
