package dev.jbuild.store.digest;

import dev.jbuild.store.JbuildException;

/** Content whose digest or size is not the one it was announced with. */
public class DigestMismatchException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final transient Digest want;
  private final transient Digest got;
  private final long bytesRead;

  public DigestMismatchException(Digest want, Digest got, long bytesRead) {
    super(want.toString(), "content digest mismatch: got " + got + " after " + bytesRead + " bytes", null);
    this.want = want;
    this.got = got;
    this.bytesRead = bytesRead;
  }

  public DigestMismatchException(Digest want, String message) {
    super(want.toString(), message, null);
    this.want = want;
    this.got = null;
    this.bytesRead = -1;
  }

  public Digest want() {
    return want;
  }

  public Digest got() {
    return got;
  }

  public long bytesRead() {
    return bytesRead;
  }
}
