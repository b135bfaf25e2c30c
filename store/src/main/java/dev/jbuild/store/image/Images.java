package dev.jbuild.store.image;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.layout.OciLayout;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images of a store, by name, image id or manifest digest: reading them whole, writing new
 * ones, tagging and removing. Names are resolved the way docker does: {@code busybox} means {@code
 * busybox:latest}; a hex prefix of at least 4 digits is an image id (config digest) or manifest
 * digest when it is unambiguous.
 */
public final class Images {
  /** Manifests and configs are read whole, but never beyond this. */
  public static final int MAX_JSON = 4 << 20;

  private final Store store;

  public Images(Store store) {
    this.store = store;
  }

  /** An entry of the image list: the name (empty when untagged) and the image. */
  public record Listed(Optional<ImageRef> ref, Image image) {}

  /** Every image of the store, tagged ones under each of their names, untagged ones once. */
  public List<Listed> list() throws IOException {
    List<Listed> out = new ArrayList<>();
    for (OciLayout.Entry e : store.layout().list()) {
      out.add(new Listed(e.ref(), read(e.descriptor())));
    }
    return out;
  }

  /** The image a user's text names: a reference, an image id (prefix) or a manifest digest. */
  public Image resolve(String text) throws IOException {
    return find(text).orElseThrow(() -> new ImageNotFoundException(text));
  }

  public Optional<Image> find(String text) throws IOException {
    Optional<Descriptor> d = store.layout().resolve(text);
    return d.isPresent() ? Optional.of(read(d.get())) : Optional.empty();
  }

  /** Reads the image a manifest (or, for an index, its linux/amd64 manifest) describes. */
  public Image read(Descriptor manifest) throws IOException {
    Descriptor m = manifest;
    if (m.mediaType().isIndex()) {
      m = selectPlatform(OciJson.read(store.blobs().readAll(m.digest(), MAX_JSON), Index.class), m);
    }
    Manifest man = OciJson.read(store.blobs().readAll(m.digest(), MAX_JSON), Manifest.class);
    ImageConfig cfg = OciJson.read(store.blobs().readAll(man.config().digest(), MAX_JSON), ImageConfig.class);
    return new Image(m, man, cfg);
  }

  private static Descriptor selectPlatform(Index index, Descriptor at) {
    for (Descriptor d : index.manifests()) {
      Platform p = d.platform();
      if (d.mediaType().isManifest() && (p == null || (p.os().equals("linux") && p.architecture().equals("amd64")))) {
        return d;
      }
    }
    throw new JbuildException(at.digest().toString(), "image index has no linux/amd64 manifest", null);
  }

  /** Stores a config and a manifest over layers already in the store; returns the manifest descriptor. */
  public Descriptor write(ImageConfig config, List<Descriptor> layers) throws IOException {
    Descriptor cfg = store.blobs().put(MediaType.OCI_CONFIG, OciJson.write(config));
    Manifest man = Manifest.of(cfg, layers);
    return store.blobs().put(MediaType.OCI_MANIFEST, OciJson.write(man));
  }

  /** Gives an image (by any name) another name. */
  public void tag(String source, String target) throws IOException {
    Image img = resolve(source);
    store.layout().tag(parseName(target), img.manifestDescriptor());
  }

  /** Names an image descriptor. */
  public void tag(ImageRef ref, Descriptor manifest) throws IOException {
    store.layout().tag(ref, manifest);
  }

  /**
   * Removes a name; when the text is an id or digest, or the last name of an image, the image
   * leaves the index (its blobs go at the next prune). Returns what was untagged or deleted.
   */
  public List<String> remove(String text) throws IOException {
    List<String> done = new ArrayList<>();
    Optional<ImageRef> asRef = tryParse(text);
    if (asRef.isPresent() && !text.matches("(sha256:)?[a-f0-9]{4,64}")) {
      Optional<Descriptor> d = store.layout().untag(asRef.get());
      if (d.isPresent()) {
        done.add("Untagged: " + OciLayout.refName(asRef.get()));
        Digest md = d.get().digest();
        boolean stillNamed = store.layout().list().stream().anyMatch(e -> e.descriptor().digest().equals(md));
        if (!stillNamed) {
          store.layout().remove(md);
          done.add("Deleted: " + md);
        }
        return done;
      }
    }
    Image img = resolve(text);
    for (Descriptor removed : store.layout().remove(img.manifestDigest())) {
      done.add("Deleted: " + removed.digest());
    }
    return done;
  }

  /** Parses a user-given name for a new tag, with the docker error for invalid ones. */
  public static ImageRef parseName(String text) {
    ImageRef ref = ImageRef.parse(text);
    if (ref.digest().isPresent()) {
      throw new InvalidRefException(text, "a new name cannot contain a digest");
    }
    return ref;
  }

  private static Optional<ImageRef> tryParse(String text) {
    try {
      return Optional.of(ImageRef.parse(text));
    } catch (InvalidRefException e) {
      return Optional.empty();
    }
  }
}
