package dev.jbuild.store.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The lock between writers of new content and the garbage collector, on {@code <root>/gc.lock}.
 * Anything that writes blobs before it names them (import, load, build, pull) holds it shared
 * for its whole run, because between "blob committed" and "image tagged" the blob is unreferenced
 * and a collector would take it; the collector holds it exclusively. Shared holders never block
 * each other, so concurrent builds and imports run side by side.
 *
 * <p>Across processes this is a shared or exclusive {@link FileLock}; inside one JVM (which holds
 * file locks per process) a read-write lock per file decides, and the shared file lock is taken by
 * the first shared holder and released by the last.
 */
public final class GcLock {
  private static final ConcurrentMap<Path, State> STATES = new ConcurrentHashMap<>();

  private final State state;

  private static final class State {
    final Path file;
    final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
    int sharedHolders;
    FileChannel sharedChannel;
    FileLock sharedLock;

    State(Path file) {
      this.file = file;
    }
  }

  public GcLock(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      try {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process created it first
      }
    }
    Path real = file.toRealPath();
    this.state = STATES.computeIfAbsent(real, State::new);
  }

  /** Held while writing content that is not yet referenced. Close to release. */
  public AutoCloseable shared() throws IOException {
    state.rw.readLock().lock();
    try {
      synchronized (state) {
        if (state.sharedHolders == 0) {
          FileChannel ch = FileChannel.open(state.file, StandardOpenOption.READ, StandardOpenOption.WRITE);
          try {
            state.sharedLock = ch.lock(0, Long.MAX_VALUE, true);
          } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
          }
          state.sharedChannel = ch;
        }
        state.sharedHolders++;
      }
    } catch (IOException | RuntimeException e) {
      state.rw.readLock().unlock();
      throw e;
    }
    return new Release(() -> {
      synchronized (state) {
        if (--state.sharedHolders == 0) {
          try {
            state.sharedLock.release();
          } finally {
            state.sharedChannel.close();
            state.sharedLock = null;
            state.sharedChannel = null;
          }
        }
      }
      state.rw.readLock().unlock();
    });
  }

  /** Held by the garbage collector. Close to release. */
  public AutoCloseable exclusive() throws IOException {
    state.rw.writeLock().lock();
    FileChannel ch = null;
    try {
      ch = FileChannel.open(state.file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = ch.lock(0, Long.MAX_VALUE, false);
      FileChannel channel = ch;
      return new Release(() -> {
        try {
          lock.release();
        } finally {
          channel.close();
          state.rw.writeLock().unlock();
        }
      });
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      state.rw.writeLock().unlock();
      throw e;
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  /** Idempotent release. */
  private static final class Release implements AutoCloseable {
    private Action action;

    Release(Action action) {
      this.action = action;
    }

    @Override
    public synchronized void close() throws IOException {
      if (action != null) {
        Action a = action;
        action = null;
        a.run();
      }
    }
  }
}
