package dev.jbuild.store.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's exclusive lock, held while {@code index.json} is read, modified and rewritten and
 * while the garbage collector runs. It is two locks: a {@link FileLock} on {@code <root>/lock}
 * that excludes other processes, and a {@link ReentrantLock} that excludes other threads of this
 * JVM, because a JVM holds file locks per process (a second {@code lock()} from another thread
 * fails with {@code OverlappingFileLockException} instead of waiting).
 *
 * <p>Reentrant: a thread that holds the lock may acquire it again (the file lock is taken once,
 * by the outermost acquisition). Release by closing the returned {@link Held}.
 *
 * <pre>{@code
 * try (StoreLock.Held held = lock.acquire()) {
 *   // read-modify-write index.json
 * }
 * }</pre>
 */
public final class StoreLock {
  // One in-process lock per lock file, shared by every StoreLock on it: two Store objects opened on
  // one root inside one JVM must exclude each other too, just as file locks would between processes.
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock threads;

  /** A lock on {@code file} (created if absent). */
  public StoreLock(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process created it first: fine
      }
    }
    this.file = file.toRealPath();
    this.threads = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock(true));
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Whether the current thread holds this lock. */
  public boolean isHeldByCurrentThread() {
    return threads.isHeldByCurrentThread();
  }

  /** An action to run under the lock. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException;
  }

  /** Runs an action while holding the lock, and releases it however the action ends. */
  @SuppressWarnings("try") // the resource is the lock itself; the body never touches it
  public <T> T locked(Action<T> action) throws IOException {
    try (Held held = acquire()) {
      return action.run();
    }
  }

  /** Blocks until this thread holds the lock (within this JVM and across processes). */
  public Held acquire() throws IOException {
    threads.lock();
    if (threads.getHoldCount() > 1) {
      return new Held(null);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      return new Held(lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      threads.unlock();
      throw e;
    }
  }

  /** A held lock; {@link #close()} releases it (idempotent, from the thread that acquired it). */
  public final class Held implements AutoCloseable {
    private final FileLock fileLock;
    private boolean released;

    private Held(FileLock fileLock) {
      this.fileLock = fileLock;
    }

    @Override
    public void close() throws IOException {
      if (released) {
        return;
      }
      released = true;
      try {
        if (fileLock != null) {
          // closing the channel releases the file lock
          fileLock.channel().close();
        }
      } finally {
        threads.unlock();
      }
    }
  }
}
