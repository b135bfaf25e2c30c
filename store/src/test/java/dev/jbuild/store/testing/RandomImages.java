package dev.jbuild.store.testing;

import com.github.luben.zstd.ZstdOutputStream;
import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Random but valid images for tests (ggcr's {@code random.Image}): each layer is a real tar (built
 * with commons-compress) of a directory and a few files of random bytes, compressed as asked, and
 * written in one pass that computes its diffID and digest. The same seed gives the same image.
 */
public final class RandomImages {
  private RandomImages() {}

  /** Writes an image of gzip layers into the store (not tagged) and returns its manifest descriptor. */
  public static Descriptor image(Store store, int layers, int bytesPerLayer, long seed) throws IOException {
    return image(store, layers, bytesPerLayer, seed, MediaType.OCI_LAYER_GZIP);
  }

  /** As {@link #image(Store, int, int, long)}, with layers of the given media type (plain, gzip or zstd). */
  public static Descriptor image(Store store, int layers, int bytesPerLayer, long seed, MediaType layerType)
      throws IOException {
    Random random = new Random(seed);
    Instant created = Instant.parse("2024-01-02T03:04:05Z").plusSeconds(seed & 0xffff);
    ImageConfig config = ImageConfig.of(Platform.LINUX_AMD64)
        .withCreated(created)
        .withConfig(ContainerConfig.EMPTY
            .withEnv("PATH", "/usr/local/bin:/usr/bin:/bin")
            .withEnv("SEED", Long.toString(seed))
            .withCmd(List.of("/bin/sh"))
            .withExposedPort("8080/tcp")
            .withLabel("dev.jbuild.test.seed", Long.toString(seed)));
    List<Descriptor> layerDescriptors = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Layer layer = layer(store, i, bytesPerLayer, random, layerType);
      layerDescriptors.add(layer.blob());
      config = config.withLayer(layer.diffId(), HistoryEntry.layer(created, "random layer " + i));
      config = config.withHistoryEntry(HistoryEntry.empty(created, "ENV STEP=" + i));
    }
    Descriptor configBlob = store.blobs().put(MediaType.OCI_CONFIG, OciJson.write(config));
    Manifest manifest = Manifest.of(configBlob, layerDescriptors);
    return store.blobs().put(MediaType.OCI_MANIFEST, OciJson.write(manifest));
  }

  /** A layer blob and the digest of its uncompressed tar. */
  public record Layer(Descriptor blob, Digest diffId) {}

  /** Writes one random layer. */
  public static Layer layer(Store store, int index, int bytes, Random random, MediaType type) throws IOException {
    try (BlobWriter w = store.blobs().newWriter()) {
      OutputStream compressed = compressor(w.stream(), type);
      DigestingOutputStream uncompressed = new DigestingOutputStream(compressed);
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressed)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        String dir = "layer" + index + "/";
        TarArchiveEntry d = new TarArchiveEntry(dir);
        d.setMode(040755);
        d.setModTime(0);
        tar.putArchiveEntry(d);
        tar.closeArchiveEntry();
        int files = Math.max(1, Math.min(3, bytes / 512));
        int left = bytes;
        for (int f = 0; f < files; f++) {
          int size = f == files - 1 ? left : left / (files - f);
          left -= size;
          byte[] content = new byte[size];
          random.nextBytes(content);
          TarArchiveEntry e = new TarArchiveEntry(dir + "file" + f + ".bin");
          e.setMode(0100644);
          e.setSize(size);
          e.setModTime(0);
          tar.putArchiveEntry(e);
          tar.write(content);
          tar.closeArchiveEntry();
        }
        tar.finish();
        // closing the tar closes the compressor, which writes its trailer into the blob writer
      }
      return new Layer(w.commit(type), uncompressed.digest());
    }
  }

  private static OutputStream compressor(OutputStream out, MediaType type) throws IOException {
    String t = type.value();
    if (t.endsWith("+gzip") || t.endsWith(".tar.gzip")) {
      return new GZIPOutputStream(out, 1 << 16);
    }
    if (t.endsWith("+zstd")) {
      return new ZstdOutputStream(out);
    }
    if (t.endsWith(".tar")) {
      return out;
    }
    throw new IllegalArgumentException("not a layer media type jbuild tests can write: " + t);
  }
}
