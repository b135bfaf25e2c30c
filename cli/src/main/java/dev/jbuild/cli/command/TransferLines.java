package dev.jbuild.cli.command;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.registry.TransferListener;
import java.io.PrintWriter;

/**
 * Plain progress for pulls and pushes: one line per blob when it is finished or skipped ({@code
 * Copying blob sha256:0123456789ab done 12.3MB}), as podman prints without a terminal. Lines come
 * from several transfer threads, so each is printed whole under a lock.
 */
final class TransferLines implements TransferListener {
  private final PrintWriter err;

  TransferLines(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void resolved(String source, Digest manifest) {
    line("Resolved " + source + " manifest " + manifest);
  }

  @Override
  public void done(Descriptor blob, Kind kind) {
    line("Copying " + name(kind) + " " + shortDigest(blob.digest()) + " done " + Formats.size(blob.size()));
  }

  @Override
  public void skipped(Descriptor blob, Kind kind, Skip why) {
    line("Copying " + name(kind) + " " + shortDigest(blob.digest()) + " skipped: "
        + (why == Skip.MOUNTED ? "mounted from another repository" : "already exists"));
  }

  @Override
  public void mirrorFailed(String mirror, Exception error) {
    line("Mirror " + mirror + " failed, trying the next: " + error.getMessage());
  }

  @Override
  public void manifestWritten(Digest manifest) {
    line("Writing manifest " + shortDigest(manifest));
  }

  private static String name(Kind kind) {
    return kind == Kind.CONFIG ? "config" : "blob";
  }

  private static String shortDigest(Digest d) {
    return d.algorithm().prefix() + d.hex().substring(0, 12);
  }

  private void line(String s) {
    synchronized (err) {
      err.println(s);
      err.flush();
    }
  }
}
