package dev.jbuild.store.registry;

import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobNotFoundException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes an image of a store to a registry, as {@code docker push} does: the config and the layers
 * go first, {@value #PARALLEL} at a time, each skipped when the repository has it (HEAD), mounted
 * from another repository of the same registry when the store knows one that has it ({@link
 * BlobSources}: the image was pulled from there or pushed there), else uploaded; then the
 * manifest's bytes, unchanged, so the registry's manifest digest is the store's.
 *
 * <pre>{@code
 * Digest pushed = new ImagePusher(store, registries).push(images.resolve("app:1"), ImageRef.parse("127.0.0.1:5000/team/app:1"));
 * }</pre>
 */
public final class ImagePusher {
  /** How many blobs upload at once. */
  public static final int PARALLEL = 3;

  private final Store store;
  private final Registries registries;

  public ImagePusher(Store store, Registries registries) {
    this.store = store;
    this.registries = registries;
  }

  /** Pushes an image; see {@link #push(Image, ImageRef, TransferListener)}. */
  public Digest push(Image image, ImageRef dest) throws IOException {
    return push(image, dest, TransferListener.NONE);
  }

  /**
   * Pushes an image under {@code dest}'s tag (or only by digest when {@code dest} has a digest and no
   * tag, which must then be the image's) and returns the manifest digest.
   */
  public Digest push(Image image, ImageRef dest, TransferListener listener) throws IOException {
    RegistryClient client = registries.client(dest.registry());
    String repo = dest.repository();
    Descriptor manifest = image.manifestDescriptor();
    if (dest.digest().isPresent() && !dest.digest().get().equals(manifest.digest())) {
      throw new dev.jbuild.store.JbuildException("pushing to " + dest + ": the image's manifest digest is "
          + manifest.digest() + ", not " + dest.digest().get());
    }
    // read first: a store that lost the manifest fails before anything is uploaded
    byte[] bytes = store.blobs().readAll(manifest.digest(), Images.MAX_JSON);
    BlobSources sources = new BlobSources(store);

    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    Digest configDigest = image.manifest().config().digest();
    blobs.put(configDigest, image.manifest().config());
    for (Descriptor l : image.layers()) {
      blobs.putIfAbsent(l.digest(), l);
    }
    List<Transfers.Transfer<Void>> tasks = new ArrayList<>();
    for (Descriptor d : blobs.values()) {
      TransferListener.Kind kind = d.digest().equals(configDigest) ? TransferListener.Kind.CONFIG : TransferListener.Kind.LAYER;
      String mountFrom = sources.mountSource(d.digest(), client.endpoint().name(), repo).orElse(null);
      tasks.add(() -> {
        listener.started(d, kind);
        PushOutcome outcome = client.pushBlob(repo, d, source(d.digest()), mountFrom,
            n -> listener.progress(d, n));
        switch (outcome) {
          case EXISTS -> listener.skipped(d, kind, TransferListener.Skip.EXISTS);
          case MOUNTED -> listener.skipped(d, kind, TransferListener.Skip.MOUNTED);
          case UPLOADED -> listener.done(d, kind);
        }
        return null;
      });
    }
    Transfers.run(PARALLEL, tasks);

    String reference = dest.tag().orElseGet(() -> manifest.digest().toString());
    Digest pushed = client.putManifest(repo, reference, manifest.mediaType(), bytes);
    listener.manifestWritten(pushed);
    try {
      sources.record(blobs.keySet(), client.endpoint().name(), repo);
    } catch (IOException | UncheckedIOException e) {
      // only a hint for later mounts: the push itself succeeded
    }
    return pushed;
  }

  /** The blob's file, which goes to the registry without copies; a missing one fails only if it must be uploaded. */
  private BlobSource source(Digest d) {
    try {
      return BlobSource.ofFile(store.blobs().path(d));
    } catch (BlobNotFoundException e) {
      return () -> store.blobs().open(d);
    }
  }
}
