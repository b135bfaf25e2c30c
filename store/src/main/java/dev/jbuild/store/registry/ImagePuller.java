package dev.jbuild.store.registry;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls an image from a registry into a store, as {@code docker pull} does: resolves the reference
 * to a manifest (choosing the platform's manifest in an index or Docker manifest list), downloads
 * the config and the layers the store does not have yet, {@value #PARALLEL} at a time, each
 * verified against its digest while it streams into a {@link BlobWriter}, stores the manifest's
 * bytes unchanged (so its digest is the registry's) and then names the image.
 *
 * <p>Mirrors configured for the registry are tried first; a mirror that fails in any way (missing
 * image, network, wrong content) hands over to the next one and finally to the registry, keeping
 * what was already downloaded. A pull that fails tags nothing and leaves only whole, verified
 * blobs behind (the garbage collector takes them).
 *
 * <pre>{@code
 * Image img = new ImagePuller(store, registries).pull(ImageRef.parse("busybox:1.36"), Platform.LINUX_AMD64);
 * }</pre>
 */
public final class ImagePuller {
  /** How many blobs download at once. */
  public static final int PARALLEL = 3;
  private static final int MAX_INDEX_DEPTH = 4;

  private final Store store;
  private final Registries registries;

  public ImagePuller(Store store, Registries registries) {
    this.store = store;
    this.registries = registries;
  }

  /** Pulls an image for a platform; see {@link #pull(ImageRef, Platform, TransferListener)}. */
  public Image pull(ImageRef ref, Platform platform) throws IOException {
    return pull(ref, platform, TransferListener.NONE);
  }

  /**
   * Pulls an image and names it {@code ref} in the store (a reference with only a digest leaves it
   * unnamed, listed by digest). Returns the image as stored: its manifest descriptor carries the
   * registry's manifest digest and media type (OCI or Docker schema 2).
   */
  public Image pull(ImageRef ref, Platform platform, TransferListener listener) throws IOException {
    DigestWarmup.start();
    List<RegistryEndpoint> endpoints = registries.pullEndpoints(ref.registry());
    for (int i = 0; i < endpoints.size(); i++) {
      boolean last = i == endpoints.size() - 1;
      try {
        return pullFrom(registries.client(endpoints.get(i)), ref, platform, listener);
      } catch (RuntimeException | IOException e) {
        if (last) {
          throw e;
        }
        listener.mirrorFailed(endpoints.get(i).name(), e);
      }
    }
    throw new IllegalStateException("[internal error] no endpoint to pull " + ref + " from");
  }

  private Image pullFrom(RegistryClient client, ImageRef ref, Platform platform, TransferListener listener)
      throws IOException {
    String repo = ref.repository();
    String reference = ref.digest().map(Digest::toString).orElseGet(() -> ref.tag().orElse(ImageRef.DEFAULT_TAG));
    ManifestResponse top = client.getManifest(repo, reference, RegistryClient.MANIFEST_TYPES);
    ManifestResponse m = top;
    for (int depth = 0; m.isIndex(); depth++) {
      if (depth >= MAX_INDEX_DEPTH) {
        throw new JbuildException("pulling " + ref + ": indexes nested deeper than " + MAX_INDEX_DEPTH);
      }
      Descriptor chosen = PlatformSelector.select(m.bytes(), platform);
      m = client.getManifest(repo, chosen.digest().toString(), RegistryClient.MANIFEST_TYPES);
    }
    if (!m.mediaType().isManifest()) {
      throw new JbuildException("pulling " + ref + ": " + m.digest() + " is a " + m.mediaType() + ", not an image manifest");
    }
    Manifest manifest;
    try {
      manifest = OciJson.read(m.bytes(), Manifest.class);
    } catch (JbuildException e) {
      throw new JbuildException("pulling " + ref + ": manifest " + m.digest() + ": " + e.describe(), e);
    }
    if (manifest.mediaType() != null && !manifest.mediaType().equals(m.mediaType())) {
      throw new JbuildException("pulling " + ref + ": manifest " + m.digest() + " says it is a " + manifest.mediaType()
          + " but was served as " + m.mediaType());
    }
    listener.resolved(client.endpoint().name(), m.digest());

    // config first in the list: the smallest, and needed before anything can use the image
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    blobs.put(manifest.config().digest(), manifest.config());
    for (Descriptor l : manifest.layers()) {
      blobs.putIfAbsent(l.digest(), l);
    }
    Digest configDigest = manifest.config().digest();
    try (AutoCloseable ingest = store.gcLock().shared()) {
      List<Transfers.Transfer<Void>> tasks = new ArrayList<>();
      boolean configPresent = false;
      for (Descriptor d : blobs.values()) {
        boolean isConfig = d.digest().equals(configDigest);
        TransferListener.Kind kind = isConfig ? TransferListener.Kind.CONFIG : TransferListener.Kind.LAYER;
        if (store.blobs().has(d.digest()) && store.blobs().size(d.digest()) == d.size()) {
          listener.skipped(d, kind, TransferListener.Skip.EXISTS);
          configPresent |= isConfig;
          continue;
        }
        tasks.add(() -> {
          listener.started(d, kind);
          try (BlobWriter w = store.blobs().newWriter()) {
            client.pullBlob(repo, d, w, n -> listener.progress(d, n));
          }
          if (isConfig) {
            // while the layers still stream: a bad config stops the pull early
            checkConfig(ref, d);
          }
          listener.done(d, kind);
          return null;
        });
      }
      if (configPresent) {
        checkConfig(ref, manifest.config());
      }
      Transfers.run(PARALLEL, tasks);

      Descriptor stored = store.blobs().put(m.mediaType(), m.bytes());
      if (!stored.digest().equals(m.digest())) {
        throw new DigestMismatchException(m.digest(), stored.digest(), m.bytes().length);
      }
      Descriptor named = Descriptor.of(m.mediaType(), m.digest(), m.bytes().length);
      listener.manifestWritten(m.digest());
      if (ref.tag().isPresent()) {
        store.layout().tag(ImageRef.of(ref.registry(), ref.repository(), ref.tag().get()), named);
      } else {
        store.layout().add(named);
      }
      try {
        new BlobSources(store).record(blobs.keySet(), client.endpoint().name(), repo);
      } catch (IOException | UncheckedIOException e) {
        // only a hint for later mounts: the pull itself succeeded
      }
      return new Images(store).read(named);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // only the lock's close() declares Exception
      throw new IOException("releasing the store's gc lock: " + e.getMessage(), e);
    }
  }

  /** The config must parse before the image is named: a registry could serve any verified bytes. */
  private void checkConfig(ImageRef ref, Descriptor config) throws IOException {
    try {
      OciJson.read(store.blobs().readAll(config.digest(), Images.MAX_JSON), ImageConfig.class);
    } catch (JbuildException e) {
      throw new JbuildException("pulling " + ref + ": config " + config.digest() + ": " + e.describe(), e);
    }
  }
}
