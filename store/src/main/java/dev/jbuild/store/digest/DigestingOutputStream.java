package dev.jbuild.store.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * An output stream that hashes and counts every byte on its way to the wrapped stream, so a
 * writer learns digest and size in the same pass that writes the bytes.
 *
 * <p>{@link #offloading} makes one that hashes on a second thread once the content has passed
 * {@link #OFFLOAD_AFTER} bytes: the bytes are handed to a hasher thread through a {@link
 * HandoffOutputStream} (copied into a few 1 MiB buffers, consumed in order), so a large blob is written (to a file, a compressor) and hashed at the same
 * time instead of one after the other (SHA-256 runs at ~1.2 GB/s, a copy at several times that).
 * Small content never starts the thread.
 *
 * <p>Closing closes the wrapped stream. {@link #digest()} may be called once, after the last write.
 */
public final class DigestingOutputStream extends FilterOutputStream {
  /** Bytes hashed in line before an offloading stream hands the rest to its hasher thread. */
  public static final long OFFLOAD_AFTER = 4L << 20;

  private final MessageDigest md;
  private final boolean offload;
  private long count;
  private HandoffOutputStream hasher;

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
      hasher.write(b);
    } else {
      md.update((byte) b);
    }
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (hasher == null && offload && count + len > OFFLOAD_AFTER) {
      hasher = new HandoffOutputStream(new OutputStream() {
        @Override
        public void write(int b) {
          md.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          md.update(b, off, len);
        }
      }, "jbuild-hash");
    }
    if (hasher != null) {
      hasher.write(b, off, len);
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
  public Digest digest() throws IOException {
    if (hasher != null) {
      HandoffOutputStream h = hasher;
      hasher = null;
      h.close();
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
      hasher.abort();
      hasher = null;
    }
  }
}
