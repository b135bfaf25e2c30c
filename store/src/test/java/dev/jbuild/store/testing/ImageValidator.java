package dev.jbuild.store.testing;

import com.github.luben.zstd.ZstdInputStream;
import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobNotFoundException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.digest.VerifyingInputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Checks that an image in a store is whole and consistent (ggcr's {@code validate.Image}): every
 * descriptor's digest and size match its blob, the manifest and config parse, the layers, the
 * diffIDs and the history entries without {@code empty_layer} agree in number (when there is a
 * history), and each layer, decompressed (gzip, zstd or plain), hashes to its diffID. Indexes are
 * checked with every image they list. Fails with an {@link AssertionError} listing every problem.
 */
public final class ImageValidator {
  private ImageValidator() {}

  /** Validates the image (or index) a descriptor points at. */
  public static void validate(Store store, Descriptor descriptor) throws IOException {
    List<String> problems = new ArrayList<>();
    validate(store, descriptor, problems, 0);
    if (!problems.isEmpty()) {
      throw new AssertionError("invalid image " + descriptor.digest() + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static void validate(Store store, Descriptor d, List<String> problems, int depth) throws IOException {
    byte[] bytes = blob(store, d, problems);
    if (bytes == null) {
      return;
    }
    if (d.mediaType().isIndex()) {
      Index index = OciJson.read(bytes, Index.class);
      if (index.mediaType() != null && !index.mediaType().equals(d.mediaType())) {
        problems.add("index mediaType " + index.mediaType() + " differs from its descriptor's " + d.mediaType());
      }
      if (depth > 8) {
        problems.add("indexes nested deeper than 8");
        return;
      }
      for (Descriptor child : index.manifests()) {
        validate(store, child, problems, depth + 1);
      }
      return;
    }
    if (!d.mediaType().isManifest()) {
      problems.add(d.digest() + ": media type " + d.mediaType() + " is not a manifest or index");
      return;
    }
    Manifest m = OciJson.read(bytes, Manifest.class);
    if (!m.effectiveMediaType().equals(d.mediaType())) {
      problems.add("manifest mediaType " + m.effectiveMediaType() + " differs from its descriptor's " + d.mediaType());
    }
    byte[] configBytes = blob(store, m.config(), problems);
    if (configBytes == null) {
      return;
    }
    ImageConfig config = OciJson.read(configBytes, ImageConfig.class);
    List<Digest> diffIds = config.rootfs().diffIds();
    if (diffIds.size() != m.layers().size()) {
      problems.add(m.layers().size() + " layers but " + diffIds.size() + " diff_ids");
    }
    if (!config.history().isEmpty() && config.nonEmptyHistoryCount() != m.layers().size()) {
      problems.add(m.layers().size() + " layers but " + config.nonEmptyHistoryCount()
          + " history entries without empty_layer");
    }
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor layer = m.layers().get(i);
      if (!layer.mediaType().isLayer()) {
        problems.add("layers[" + i + "]: media type " + layer.mediaType() + " is not a layer");
        continue;
      }
      Digest diffId = diffId(store, layer, i, problems);
      if (diffId != null && i < diffIds.size() && !diffId.equals(diffIds.get(i))) {
        problems.add("layers[" + i + "] " + layer.digest() + ": uncompressed digest " + diffId
            + " is not diff_ids[" + i + "] " + diffIds.get(i));
      }
    }
  }

  // Reads a small blob whole, checking its digest and size against the descriptor.
  private static byte[] blob(Store store, Descriptor d, List<String> problems) throws IOException {
    if (!store.blobs().has(d.digest())) {
      problems.add(d.digest() + " (" + d.mediaType() + "): blob missing");
      return null;
    }
    if (store.blobs().size(d.digest()) != d.size()) {
      problems.add(d.digest() + ": blob is " + store.blobs().size(d.digest()) + " bytes, descriptor says " + d.size());
      return null;
    }
    byte[] bytes = store.blobs().readAll(d.digest(), OciJson.MAX_BYTES);
    Digest actual = Digest.of(bytes);
    if (!actual.equals(d.digest())) {
      problems.add(d.digest() + ": blob content hashes to " + actual);
      return null;
    }
    return bytes;
  }

  private static Digest diffId(Store store, Descriptor layer, int i, List<String> problems) throws IOException {
    try (InputStream raw = store.blobs().open(layer.digest());
        VerifyingInputStream verified = new VerifyingInputStream(raw, layer.digest(), layer.size());
        InputStream plain = decompress(new BufferedInputStream(verified, 1 << 16), layer.mediaType())) {
      DigestingOutputStream sink = new DigestingOutputStream(OutputStream.nullOutputStream());
      plain.transferTo(sink);
      // the decompressor may stop before the compressed stream's end: verify what is left too
      verified.drainAndVerify();
      return sink.digest();
    } catch (BlobNotFoundException e) {
      problems.add("layers[" + i + "] " + layer.digest() + ": blob missing");
    } catch (RuntimeException | IOException e) {
      problems.add("layers[" + i + "] " + layer.digest() + ": " + e);
    }
    return null;
  }

  private static InputStream decompress(BufferedInputStream in, MediaType type) throws IOException {
    String t = type.value();
    if (t.endsWith("+zstd")) {
      return new ZstdInputStream(in);
    }
    if (t.endsWith("+gzip") || t.endsWith(".tar.gzip")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    // plain tar, or an unknown suffix: trust the magic bytes
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
