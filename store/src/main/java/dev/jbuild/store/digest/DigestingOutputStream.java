package dev.jbuild.store.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An output stream that hashes and counts every byte on its way to the wrapped stream, so a
 * writer learns digest and size in the same pass that writes the bytes.
 *
 * <p>{@link #offloading} makes one that hashes on a second thread once the content has passed
 * {@link #OFFLOAD_AFTER} bytes: the bytes are copied into one of a few buffers that a hasher thread
 * consumes in order, so a large blob is written (to a file, a compressor) and hashed at the same
 * time instead of one after the other (SHA-256 runs at ~1.2 GB/s, a copy at several times that).
 * Small content never starts the thread.
 *
 * <p>Closing closes the wrapped stream. {@link #digest()} may be called once, after the last write.
 */
public final class DigestingOutputStream extends FilterOutputStream {
  /** Bytes hashed in line before an offloading stream hands the rest to its hasher thread. */
  public static final long OFFLOAD_AFTER = 4L << 20;

  private static final int BUFFER = 1 << 20;
  private static final int BUFFERS = 4;

  private static final ExecutorService HASHERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jbuild-hash");
    t.setDaemon(true);
    return t;
  });

  private final MessageDigest md;
  private final boolean offload;
  private long count;
  private Hasher hasher;

  public DigestingOutputStream(OutputStream out) {
    this(out, false);
  }

  private DigestingOutputStream(OutputStream out, boolean offload) {
    super(out);
    this.md = DigestAlgorithm.SHA256.newMessageDigest();
    this.offload = offload;
  }

  /** One that hashes on a second thread once the content is large (see the class comment). */
  public static DigestingOutputStream offloading(OutputStream out) {
    return new DigestingOutputStream(out, true);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    if (hasher != null) {
      hasher.update(new byte[] {(byte) b}, 0, 1);
    } else {
      md.update((byte) b);
    }
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (hasher == null && offload && count + len > OFFLOAD_AFTER) {
      hasher = new Hasher(md);
    }
    if (hasher != null) {
      hasher.update(b, off, len);
    } else {
      md.update(b, off, len);
    }
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The sha256 of everything written; resets the hash. */
  public Digest digest() throws InterruptedIOException {
    if (hasher != null) {
      Hasher h = hasher;
      hasher = null;
      h.finish();
    }
    return Digest.sha256(md.digest());
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      abandon();
    }
  }

  /**
   * Stops a hasher thread without waiting for its digest, for content that is thrown away; the
   * wrapped stream stays open. Nothing to do for a stream that hashes in line.
   */
  public void abandon() {
    if (hasher != null) {
      hasher.abandon();
      hasher = null;
    }
  }

  /**
   * The second thread: full buffers go to it in order through {@code full}, and come back through
   * {@code free}; a buffer of length 0 ends it.
   */
  private static final class Hasher {
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final MessageDigest md;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final java.util.concurrent.Future<?> done;
    private byte[] current;
    private int used;
    private int allocated;

    private record Chunk(byte[] bytes, int length) {}

    Hasher(MessageDigest md) {
      this.md = md;
      this.done = HASHERS.submit(() -> {
        while (true) {
          Chunk c = full.take();
          if (c == END) {
            return null;
          }
          md.update(c.bytes(), 0, c.length());
          free.put(c.bytes());
        }
      });
    }

    void update(byte[] b, int off, int len) throws InterruptedIOException {
      while (len > 0) {
        if (current == null) {
          current = takeBuffer();
          used = 0;
        }
        int n = Math.min(len, current.length - used);
        System.arraycopy(b, off, current, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == current.length) {
          hand();
        }
      }
    }

    private byte[] takeBuffer() throws InterruptedIOException {
      byte[] b = free.poll();
      if (b != null) {
        return b;
      }
      if (allocated < BUFFERS) {
        allocated++;
        return new byte[BUFFER];
      }
      try {
        return free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      }
    }

    private void hand() throws InterruptedIOException {
      try {
        full.put(new Chunk(current, used));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      }
      current = null;
    }

    /** Hands over what is left and waits until all of it is hashed into {@code md}. */
    void finish() throws InterruptedIOException {
      if (current != null && used > 0) {
        hand();
      }
      try {
        full.put(END);
        done.get();
      } catch (InterruptedException e) {
        done.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("[internal error] hashing failed", e.getCause());
      }
    }

    /** Stops the thread without waiting for its result. */
    void abandon() {
      done.cancel(true);
    }
  }
}
