package dev.jbuild.store.digest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An output stream that hands its bytes to a second thread, which writes them downstream: a
 * two-stage pipeline, so that reading files and framing the tar (this side) overlap with hashing
 * and compressing (the other side) on a machine with few cores; or writing a blob (this side) with
 * hashing it ({@link DigestingOutputStream#offloading}).
 *
 * <p>Bytes are copied into 1 MiB buffers, at most {@value #DEPTH} of which are queued. A failure
 * downstream surfaces on the next write or on {@link #close()}, which waits until everything is
 * written and the downstream stream is closed (so its results may be read after close returns).
 * {@link #abort()} stops the consumer without closing downstream.
 */
public final class HandoffOutputStream extends OutputStream {
  private static final int SIZE = 1 << 20;
  private static final int DEPTH = 4;
  private static final byte[] END = new byte[0];

  private record Buffer(byte[] bytes, int length) {}

  private final OutputStream downstream;
  private final BlockingQueue<Buffer> full = new ArrayBlockingQueue<>(DEPTH);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 2);
  private final Thread consumer;
  private volatile Throwable failure;
  private volatile boolean aborted;
  private byte[] current = new byte[SIZE];
  private int fill;
  private boolean closed;

  public HandoffOutputStream(OutputStream downstream, String threadName) {
    this.downstream = downstream;
    this.consumer = new Thread(this::consume, threadName);
    consumer.setDaemon(true);
    consumer.start();
  }

  private void consume() {
    while (true) {
      Buffer b;
      try {
        b = full.take();
      } catch (InterruptedException e) {
        failure = e;
        return;
      }
      if (b.bytes() == END) {
        if (failure == null && !aborted) {
          try {
            downstream.close();
          } catch (Throwable t) {
            failure = t;
          }
        }
        return;
      }
      // after a failure keep taking buffers (and dropping them) so the producer never blocks on a full queue
      if (failure == null && !aborted) {
        try {
          downstream.write(b.bytes(), 0, b.length());
        } catch (Throwable t) {
          failure = t;
        }
      }
      free.offer(b.bytes());
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream is closed");
    }
    while (len > 0) {
      int k = Math.min(len, SIZE - fill);
      System.arraycopy(b, off, current, fill, k);
      fill += k;
      off += k;
      len -= k;
      if (fill == SIZE) {
        pass();
      }
    }
  }

  private void pass() throws IOException {
    checkFailure();
    put(new Buffer(current, fill));
    byte[] next = free.poll();
    current = next != null ? next : new byte[SIZE];
    fill = 0;
  }

  private void put(Buffer b) throws IOException {
    try {
      full.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes over");
    }
  }

  private void checkFailure() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw new IOException(io.getMessage(), io);
    } else if (t instanceof RuntimeException re) {
      throw re;
    } else if (t != null) {
      throw new IOException("pipeline stage failed", t);
    }
  }

  /** Flushing would stall the pipeline; the bytes are written by {@link #close()}. */
  @Override
  public void flush() {
    // deliberately nothing: callers flush at the end, and close() writes everything
  }

  /** Writes what is left, closes downstream on the other thread and waits for it. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (fill > 0) {
      put(new Buffer(current, fill));
    }
    put(new Buffer(END, 0));
    join();
    checkFailure();
  }

  /** Stops the consumer without closing downstream; for failure paths. */
  public void abort() {
    if (closed) {
      return;
    }
    closed = true;
    aborted = true;
    full.clear();
    full.offer(new Buffer(END, 0));
    try {
      join();
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void join() throws InterruptedIOException {
    try {
      consumer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the pipeline");
    }
  }
}
