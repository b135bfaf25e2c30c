package dev.jbuild.store.layer;

import dev.jbuild.store.digest.DigestingOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A command-line probe of the capture hot path, for benchmarks: {@code CaptureTool DIR OUTFILE
 * [gzip|zstd|none|gzip-deflate-all]} writes DIR as a layer to OUTFILE and prints the diffID, the compressed digest
 * (computed in the same pass, as the blob store would) and both sizes.
 */
public final class CaptureTool {
  private CaptureTool() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: CaptureTool DIR OUTFILE [gzip|zstd|none|gzip-deflate-all]");
      System.exit(2);
    }
    String mode = args.length == 3 ? args[2] : "gzip";
    // gzip-deflate-all: deflate every chunk, even random-looking ones (what pigz does), for comparison
    boolean deflateAll = mode.equals("gzip-deflate-all");
    Compression c = deflateAll ? Compression.NONE : Compression.valueOf(mode.toUpperCase(Locale.ROOT));
    long start = System.nanoTime();
    LayerWritten w;
    DigestingOutputStream blob;
    try (OutputStream file = new FileOutputStream(args[1])) {
      blob = new DigestingOutputStream(file);
      OutputStream sink = deflateAll
          ? new ParallelGzipOutputStream(blob, 6, Runtime.getRuntime().availableProcessors(), false)
          : blob;
      w = LayerWriter.write(Path.of(args[0]), sink, LayerOptions.defaults().withCompression(c));
      sink.close();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("diffid %s size %d%ndigest %s size %d%n%d entries in %d ms, peak heap %d MiB (max %d MiB)%n",
        w.diffId(), w.uncompressedSize(), blob.digest(), blob.count(), w.entries(), ms, peakHeap >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
  }
}
