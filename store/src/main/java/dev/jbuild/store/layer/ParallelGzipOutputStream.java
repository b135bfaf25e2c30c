package dev.jbuild.store.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several threads, pigz-style, producing one ordinary gzip member.
 *
 * <p>The input is cut into fixed {@value #CHUNK}-byte chunks. Each chunk is deflated on its own
 * (raw deflate, same level), primed with the previous chunk's last 32 KiB as preset dictionary so
 * that matches reach back across the cut, and ends with a sync flush (an empty stored block that
 * byte-aligns the output); the last chunk ends with the final block. Concatenated in order, the
 * pieces form one valid deflate stream. Because chunk boundaries depend only on the byte count and
 * each piece only on its chunk and dictionary, the output is identical whatever the thread timing
 * and the number of threads.
 *
 * <p>A chunk whose byte histogram is that of random data (order-0 entropy of at least {@value
 * #STORE_ENTROPY} bits per byte: already compressed or encrypted content) is written as stored
 * blocks instead: deflate cannot shrink such data by more than a fraction of a percent, and zlib
 * spends most of its time failing to find matches in it. The decision depends only on the chunk's
 * bytes (computed with StrictMath), so the output stays deterministic across machines.
 *
 * <p>The header carries no name and mtime 0, with OS byte 255 (unknown), so equal input gives
 * equal bytes on every machine. The CRC32 and size are computed on the writing thread (CRC32 is an
 * intrinsic, far cheaper than deflate). At most {@code 2 * threads + 1} chunks are in flight, so
 * memory stays near a megabyte. {@link #close()} finishes the member and closes the sink.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int CHUNK = 128 * 1024;
  private static final int DICT = 32 * 1024;
  static final double STORE_ENTROPY = 7.99;
  private static final int STORED_MAX = 65535;

  private final OutputStream sink;
  private final int level;
  private final int maxInFlight;
  private final boolean storeIncompressible;
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Future<Piece>> inFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] chunk = new byte[CHUNK];
  private byte[] previous;
  private int fill;
  private long total;
  private boolean closed;

  private record Piece(byte[] bytes, int length) {}

  /**
   * @param level deflate level 1..9 (6 is gzip's default)
   * @param threads compressing threads (the writing thread only copies, hashes and orders)
   */
  public ParallelGzipOutputStream(OutputStream sink, int level, int threads) throws IOException {
    this(sink, level, threads, true);
  }

  /**
   * @param storeIncompressible whether chunks that look random are stored instead of deflated
   *     (see the class comment); false gives exactly what pigz's chunking would
   */
  public ParallelGzipOutputStream(OutputStream sink, int level, int threads, boolean storeIncompressible)
      throws IOException {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 1..9, got " + level);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("need at least one thread");
    }
    this.sink = sink;
    this.level = level;
    this.maxInFlight = 2 * threads + 1;
    this.storeIncompressible = storeIncompressible;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "jbuild-gzip");
      t.setDaemon(true);
      return t;
    });
    int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
    sink.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, (byte) 255});
  }

  /** A stream with gzip's default level 6 on every available processor. */
  public ParallelGzipOutputStream(OutputStream sink) throws IOException {
    this(sink, 6, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("gzip stream is closed");
    }
    crc.update(b, off, len);
    total += len;
    while (len > 0) {
      int k = Math.min(len, CHUNK - fill);
      System.arraycopy(b, off, chunk, fill, k);
      fill += k;
      off += k;
      len -= k;
      if (fill == CHUNK) {
        submit(false);
      }
    }
  }

  /** Flushes the sink only: adding a flush point would make the output depend on when callers flush. */
  @Override
  public void flush() throws IOException {
    sink.flush();
  }

  /** Writes the last chunk and the trailer and closes the sink; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeOldest();
      }
      long c = crc.getValue();
      long n = total & 0xffffffffL;
      sink.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
          (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
      sink.close();
    } finally {
      closed = true;
      shutdown();
    }
  }

  /** Stops the workers without finishing the member (after a failure upstream). */
  public void abort() {
    closed = true;
    shutdown();
  }

  private void shutdown() {
    pool.shutdownNow();
    inFlight.forEach(f -> f.cancel(true));
    inFlight.clear();
    try {
      pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Deflater d;
    while ((d = deflaters.poll()) != null) {
      d.end();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] input = chunk;
    int length = fill;
    byte[] dict = previous;
    inFlight.add(pool.submit(() -> deflate(input, length, dict, last)));
    previous = input;
    chunk = last ? null : new byte[CHUNK];
    fill = 0;
    while (inFlight.size() > maxInFlight) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      Piece p = inFlight.removeFirst().get();
      sink.write(p.bytes(), 0, p.length());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed", e.getCause());
    }
  }

  private Piece deflate(byte[] input, int length, byte[] dict, boolean last) {
    if (storeIncompressible && looksIncompressible(input, length)) {
      return stored(input, length, last);
    }
    Deflater d = deflaters.poll();
    if (d == null) {
      d = new Deflater(level, true);
    }
    try {
      d.reset();
      if (dict != null) {
        // the previous chunk is always full (only the last chunk is short)
        d.setDictionary(dict, CHUNK - DICT, DICT);
      }
      d.setInput(input, 0, length);
      byte[] out = new byte[length + (length >> 4) + 64];
      int pos = 0;
      if (last) {
        d.finish();
        while (!d.finished()) {
          if (pos == out.length) {
            out = java.util.Arrays.copyOf(out, out.length * 2);
          }
          pos += d.deflate(out, pos, out.length - pos, Deflater.NO_FLUSH);
        }
      } else {
        while (true) {
          int n = d.deflate(out, pos, out.length - pos, Deflater.SYNC_FLUSH);
          pos += n;
          if (pos < out.length) {
            break;
          }
          out = java.util.Arrays.copyOf(out, out.length * 2);
        }
      }
      return new Piece(out, pos);
    } finally {
      deflaters.add(d);
    }
  }

  /** True if the chunk's order-0 entropy says deflate would gain next to nothing. */
  static boolean looksIncompressible(byte[] input, int length) {
    if (length < 4096) {
      return false;
    }
    int[] counts = new int[256];
    for (int i = 0; i < length; i++) {
      counts[input[i] & 0xff]++;
    }
    double bits = 0;
    for (int c : counts) {
      if (c != 0) {
        double p = (double) c / length;
        bits -= p * StrictMath.log(p);
      }
    }
    return bits / StrictMath.log(2) >= STORE_ENTROPY;
  }

  /** The chunk as stored deflate blocks; byte-aligned like a sync flush, final when it is the last chunk. */
  private static Piece stored(byte[] input, int length, boolean last) {
    int blocks = Math.max(1, (length + STORED_MAX - 1) / STORED_MAX);
    byte[] out = new byte[length + 5 * blocks];
    int pos = 0;
    int off = 0;
    for (int b = 0; b < blocks; b++) {
      int n = Math.min(STORED_MAX, length - off);
      // BFINAL in bit 0, BTYPE 00 (stored) in bits 1-2, then padding to the byte boundary
      out[pos++] = (byte) (last && b == blocks - 1 ? 1 : 0);
      out[pos++] = (byte) n;
      out[pos++] = (byte) (n >>> 8);
      out[pos++] = (byte) ~n;
      out[pos++] = (byte) (~n >>> 8);
      System.arraycopy(input, off, out, pos, n);
      pos += n;
      off += n;
    }
    return new Piece(out, pos);
  }
}
