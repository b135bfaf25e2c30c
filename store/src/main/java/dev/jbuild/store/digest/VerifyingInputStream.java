package dev.jbuild.store.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * An input stream that hashes what passes through it and, at end of stream, fails with {@link
 * DigestMismatchException} unless the content had the expected digest (and size, when known).
 * It also refuses to read past the expected size, so a hostile source cannot make a reader
 * consume unbounded data. Everything that comes from outside the store is read through one.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final MessageDigest md;
  private long count;
  private boolean verified;

  /** @param expectedSize the announced size, or -1 when unknown */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.md = expected.algorithm().newMessageDigest();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    md.update(b, off, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new DigestMismatchException(expected, "content is longer than the announced " + expectedSize + " bytes");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  private void verify() {
    if (verified) {
      return;
    }
    verified = true;
    if (expectedSize >= 0 && count != expectedSize) {
      throw new DigestMismatchException(
          expected, "content is " + count + " bytes, announced " + expectedSize + " (truncated?)");
    }
    Digest got = new Digest(expected.algorithm(), java.util.HexFormat.of().formatHex(md.digest()));
    if (!got.equals(expected)) {
      throw new DigestMismatchException(expected, got, count);
    }
  }

  /** Reads whatever is left and verifies; for callers that stop reading before end of stream. */
  public void drainAndVerify() throws IOException {
    byte[] buf = new byte[65536];
    while (read(buf, 0, buf.length) >= 0) {
      // reading to the end runs verify()
    }
  }
}
