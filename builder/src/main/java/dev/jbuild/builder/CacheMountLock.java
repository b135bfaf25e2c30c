package dev.jbuild.builder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who uses a {@code RUN --mount=type=cache} directory, across the stages of this JVM and other jbuild
 * processes: a lock file per directory, held shared by {@code sharing=shared} users (when nobody holds it
 * exclusively), exclusively by {@code locked} users (waiting for the others) and by {@code private} users
 * (who take another directory instead of waiting). File locks belong to the process, so inside this JVM a
 * per-file state decides first and the first holder takes the file lock.
 */
final class CacheMountLock implements AutoCloseable {
  private static final ConcurrentMap<Path, State> STATES = new ConcurrentHashMap<>();

  private static final class State {
    final Path file;
    int shared;
    boolean exclusive;
    FileChannel channel;
    FileLock lock;

    State(Path file) {
      this.file = file;
    }
  }

  private final State state;
  private final boolean exclusive;
  private boolean closed;

  private CacheMountLock(State state, boolean exclusive) {
    this.state = state;
    this.exclusive = exclusive;
  }

  private static State state(Path file) {
    return STATES.computeIfAbsent(file.toAbsolutePath().normalize(), State::new);
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** A shared hold, unless someone (here or in another process) holds the lock exclusively. */
  static Optional<CacheMountLock> tryShared(Path file) throws IOException {
    State st = state(file);
    synchronized (st) {
      if (st.exclusive) {
        return Optional.empty();
      }
      if (st.shared == 0) {
        FileChannel ch = open(st.file);
        FileLock l;
        try {
          l = ch.tryLock(0, Long.MAX_VALUE, true);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
        if (l == null) {
          ch.close();
          return Optional.empty();
        }
        st.channel = ch;
        st.lock = l;
      }
      st.shared++;
      return Optional.of(new CacheMountLock(st, false));
    }
  }

  /** An exclusive hold if nobody holds the lock at all, else empty at once. */
  static Optional<CacheMountLock> tryExclusive(Path file) throws IOException {
    State st = state(file);
    synchronized (st) {
      if (st.exclusive || st.shared > 0) {
        return Optional.empty();
      }
      FileChannel ch = open(st.file);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      st.exclusive = true;
      st.channel = ch;
      st.lock = l;
      return Optional.of(new CacheMountLock(st, true));
    }
  }

  /** An exclusive hold, waiting for every other holder of this JVM and of other processes to let go. */
  static CacheMountLock exclusive(Path file) throws IOException, InterruptedException {
    State st = state(file);
    synchronized (st) {
      while (st.exclusive || st.shared > 0) {
        st.wait();
      }
      st.exclusive = true;
    }
    FileChannel ch = null;
    try {
      ch = open(st.file);
      FileLock l = ch.lock();
      synchronized (st) {
        st.channel = ch;
        st.lock = l;
      }
      return new CacheMountLock(st, true);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      synchronized (st) {
        st.exclusive = false;
        st.notifyAll();
      }
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      boolean last;
      if (exclusive) {
        state.exclusive = false;
        last = true;
      } else {
        last = --state.shared == 0;
      }
      try {
        if (last) {
          state.lock.release();
          state.channel.close();
          state.lock = null;
          state.channel = null;
        }
      } finally {
        state.notifyAll();
      }
    }
  }
}
