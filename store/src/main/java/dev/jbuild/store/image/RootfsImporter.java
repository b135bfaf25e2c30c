package dev.jbuild.store.image;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.LayerWritten;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.oci.RootFs;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code jbuild import}: a one-layer image from a root filesystem, given as a tarball (plain,
 * gzip or zstd, as {@code docker import} takes it: the tar's bytes become the layer) or as a
 * directory (written by the layer writer, deterministic).
 */
public final class RootfsImporter {
  private final Store store;
  private final LayerOptions layerOptions;
  private final Instant created;

  /** @param created the image's creation time (now, or SOURCE_DATE_EPOCH) */
  public RootfsImporter(Store store, LayerOptions layerOptions, Instant created) {
    this.store = store;
    this.layerOptions = layerOptions;
    this.created = created;
  }

  /** A layer and its diffId, as written into the store. */
  public record Layer(Descriptor blob, Digest diffId) {}

  /** Imports a tarball or a directory; returns the new image's manifest descriptor (not yet tagged). */
  public Descriptor importPath(Path source, ContainerConfig config) throws IOException {
    Layer layer = Files.isDirectory(source) ? writeDirectory(source) : writeTarball(source);
    ImageConfig cfg = ImageConfig.of(Platform.LINUX_AMD64)
        .withCreated(created)
        .withConfig(config)
        .withRootFs(RootFs.of(List.of(layer.diffId())))
        .withHistory(List.of(HistoryEntry.layer(created, "jbuild import " + source.getFileName()).withComment("imported")));
    return new Images(store).write(cfg, List.of(layer.blob()));
  }

  /** Writes a directory as a layer blob. */
  public Layer writeDirectory(Path dir) throws IOException {
    try (BlobWriter w = store.blobs().newWriter()) {
      LayerWritten written = LayerWriter.write(dir, w.stream(), layerOptions);
      Descriptor d = w.commit(layerOptions.compression().mediaType());
      return new Layer(d, written.diffId());
    }
  }

  /**
   * Stores a tarball's bytes as a layer, recompressed: the tar is parsed while it streams, so what
   * is not a tar (or is truncated) is refused, and nothing is stored.
   */
  public Layer writeTarball(Path tarball) throws IOException {
    try (InputStream raw = Files.newInputStream(tarball);
        BlobWriter w = store.blobs().newWriter()) {
      InputStream tar = Compression.decompress(raw);
      DigestingOutputStream diff = new DigestingOutputStream(
          layerOptions.compression().compress(w.stream(), layerOptions.level(),
              layerOptions.threads() == 0 ? Runtime.getRuntime().availableProcessors() : layerOptions.threads()));
      Tee tee = new Tee(tar, diff);
      int entries = 0;
      try {
        TarArchiveInputStream tin = new TarArchiveInputStream(tee);
        byte[] buf = new byte[1 << 16];
        for (TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
          entries++;
          while (tin.read(buf) >= 0) {
            // entry content passes through the tee
          }
        }
        // the end-of-archive blocks and any padding belong to the layer too
        while (tee.read(buf) >= 0) {
          // drain
        }
      } catch (IOException | RuntimeException e) {
        throw new JbuildException(tarball.toString(), "not a valid tar archive: " + e.getMessage(), e);
      }
      if (entries == 0) {
        throw new JbuildException(tarball.toString(), "not a tar archive, or an empty one", null);
      }
      diff.close();
      Digest diffId = diff.digest();
      Descriptor d = w.commit(layerOptions.compression().mediaType());
      return new Layer(d, diffId);
    }
  }

  /** Copies every byte read from the source to a sink. */
  private static final class Tee extends FilterInputStream {
    private final OutputStream sink;

    Tee(InputStream in, OutputStream sink) {
      super(in);
      this.sink = sink;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        sink.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        sink.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
