package dev.jbuild.store.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * An output stream that hashes and counts every byte on its way to the wrapped stream, so a
 * writer learns digest and size in the same pass that writes the bytes.
 *
 * <p>Closing closes the wrapped stream. {@link #digest()} may be called once, after the last write.
 */
public final class DigestingOutputStream extends FilterOutputStream {
  private final MessageDigest md;
  private long count;

  public DigestingOutputStream(OutputStream out) {
    super(out);
    this.md = DigestAlgorithm.SHA256.newMessageDigest();
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    md.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    md.update(b, off, len);
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The sha256 of everything written; resets the hash. */
  public Digest digest() {
    return Digest.sha256(md.digest());
  }
}
