package dev.jbuild.store.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.jbuild.store.oci.MediaType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a layer tar is framed: gzip (the default, compressed on all cores by {@link
 * ParallelGzipOutputStream}), zstd (level 3 unless told, multi-threaded) or none. The reader side
 * recognises each by its magic bytes.
 */
public enum Compression {
  GZIP(MediaType.OCI_LAYER_GZIP),
  ZSTD(MediaType.OCI_LAYER_ZSTD),
  NONE(MediaType.OCI_LAYER);

  private static final int DEFAULT_ZSTD_LEVEL = 3;
  private final MediaType mediaType;

  Compression(MediaType mediaType) {
    this.mediaType = mediaType;
  }

  /** The OCI layer media type of a tar framed this way. */
  public MediaType mediaType() {
    return mediaType;
  }

  /**
   * Wraps {@code sink} in a compressing stream; closing the result finishes the frame and closes
   * the sink.
   *
   * @param level the gzip (1..9) or zstd (1..19) level, or 0 for the default (gzip 6, zstd 3)
   * @param threads compressing threads (at least 1)
   */
  public OutputStream compress(OutputStream sink, int level, int threads) throws IOException {
    return switch (this) {
      case GZIP -> new ParallelGzipOutputStream(sink, level == 0 ? 6 : level, threads);
      case ZSTD -> {
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(sink, level == 0 ? DEFAULT_ZSTD_LEVEL : level);
        z.setChecksum(true);
        // zstd's output is the same for every worker count >= 1 but differs with 0 (single-threaded mode):
        // always at least one worker, so a one-core machine writes the same bytes as a many-core one
        z.setWorkers(Math.max(1, threads));
        yield z;
      }
      case NONE -> sink;
    };
  }

  /**
   * The framing of a stream, by magic bytes: {@code 1f 8b} gzip, {@code 28 b5 2f fd} zstd, else
   * plain tar. The stream must support mark/reset; its position is unchanged.
   */
  public static Compression detect(InputStream in) throws IOException {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
    }
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** Detects the framing of {@code raw} and returns a stream of the plain tar; closing it closes {@code raw}. */
  public static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
    return switch (detect(in)) {
      case GZIP -> new GZIPInputStream(in, 64 * 1024);
      case ZSTD -> new ZstdInputStreamNoFinalizer(in);
      case NONE -> in;
    };
  }
}
