package dev.jbuild.cli.command;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.registry.TransferListener;
import java.io.PrintWriter;

/**
 * Progress for pulls and pushes: one line per blob when it is finished or skipped ({@code
 * Copying blob sha256:0123456789ab done 12.3MB}), as podman prints without a terminal; on a
 * terminal also one bar below them that is redrawn in place (at most 5 times a second) with the
 * bytes moved so far. Events come from several transfer threads, so output happens under a lock.
 */
final class TransferLines implements TransferListener {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean tty;
  /** Where finished lines go instead of {@code err} (a build's progress events), or null. */
  private final java.util.function.Consumer<String> sink;
  private final java.util.Map<Digest, long[]> active = new java.util.LinkedHashMap<>();
  private long lastDraw;
  private boolean barShown;

  TransferLines(PrintWriter err) {
    this(err, false);
  }

  /** @param tty whether {@code err} is a terminal, where a bar may be redrawn with carriage returns */
  TransferLines(PrintWriter err, boolean tty) {
    this.err = err;
    this.tty = tty;
    this.sink = null;
  }

  /** Lines handed to {@code sink} (under a lock, one at a time), without a bar. */
  TransferLines(java.util.function.Consumer<String> sink) {
    this.err = new PrintWriter(java.io.Writer.nullWriter());
    this.tty = false;
    this.sink = sink;
  }

  /** True when the process's stderr is a terminal (JDK 22+ says so; on 21 a console means one). */
  static boolean stderrIsTerminal(java.util.Map<String, String> env) {
    java.io.Console c = System.console();
    if (c == null || "dumb".equals(env.get("TERM"))) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void started(Descriptor blob, Kind kind) {
    if (tty) {
      synchronized (err) {
        active.put(blob.digest(), new long[] {0, blob.size()});
      }
    }
  }

  @Override
  public void progress(Descriptor blob, long bytesSoFar) {
    if (!tty) {
      return;
    }
    synchronized (err) {
      long[] a = active.get(blob.digest());
      if (a != null) {
        a[0] = bytesSoFar;
      }
      long now = System.nanoTime();
      if (now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        drawBar();
      }
    }
  }

  /** One line: every running blob as {@code abcd1234 [=====     ] 12.3MB/45.6MB}. */
  private void drawBar() {
    StringBuilder sb = new StringBuilder("\r\033[K");
    for (java.util.Map.Entry<Digest, long[]> e : active.entrySet()) {
      long done = e.getValue()[0];
      long total = Math.max(1, e.getValue()[1]);
      int filled = (int) Math.min(10, done * 10 / total);
      sb.append(e.getKey().hex(), 0, 8).append(" [").append("=".repeat(filled)).append(" ".repeat(10 - filled))
          .append("] ").append(Formats.size(done)).append('/').append(Formats.size(total)).append("  ");
    }
    err.print(sb);
    err.flush();
    barShown = true;
  }

  @Override
  public void resolved(String source, Digest manifest) {
    line("Resolved " + source + " manifest " + manifest);
  }

  @Override
  public void done(Descriptor blob, Kind kind) {
    if (tty) {
      synchronized (err) {
        active.remove(blob.digest());
      }
    }
    line("Copying " + name(kind) + " " + shortDigest(blob.digest()) + " done " + Formats.size(blob.size()));
  }

  @Override
  public void skipped(Descriptor blob, Kind kind, Skip why) {
    if (tty) {
      synchronized (err) {
        active.remove(blob.digest());
      }
    }
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
      if (sink != null) {
        sink.accept(s);
        return;
      }
      if (barShown) {
        // the line takes the bar's place; the bar comes back below it at the next redraw
        err.print("\r\033[K");
        barShown = false;
      }
      err.println(s);
      err.flush();
    }
  }
}
