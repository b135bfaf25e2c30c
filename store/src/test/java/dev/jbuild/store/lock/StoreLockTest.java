package dev.jbuild.store.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("try") // holding is the point
  void isReentrant() throws Exception {
    StoreLock lock = new StoreLock(tmp.resolve("lock"));
    try (StoreLock.Held outer = lock.acquire()) {
      try (StoreLock.Held inner = lock.acquire()) {
        assertTrue(lock.isHeldByCurrentThread());
      }
      assertTrue(lock.isHeldByCurrentThread(), "inner release must not release the outer hold");
    }
    assertFalse(lock.isHeldByCurrentThread());
    // and the file lock was released: a fresh acquisition works
    assertEquals("ok", lock.locked(() -> "ok"));
  }

  @Test
  @SuppressWarnings("try") // the lock is held for its effect on the other thread
  void twoLockObjectsOnOneFileExcludeEachOthersThreads() throws Exception {
    StoreLock first = new StoreLock(tmp.resolve("lock"));
    StoreLock second = new StoreLock(tmp.resolve("lock"));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean got = new AtomicBoolean();
    Thread t;
    try (StoreLock.Held held = first.acquire()) {
      t = new Thread(() -> {
        started.countDown();
        try {
          second.locked(() -> {
            got.set(true);
            return null;
          });
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      t.start();
      assertTrue(started.await(5, TimeUnit.SECONDS));
      t.join(300);
      assertFalse(got.get(), "second lock object entered while the first was held");
    }
    t.join(5000);
    assertTrue(got.get());
  }

  @Test
  void releaseIsIdempotentAndSurvivesExceptions() throws Exception {
    StoreLock lock = new StoreLock(tmp.resolve("lock"));
    StoreLock.Held held = lock.acquire();
    held.close();
    held.close();
    assertFalse(lock.isHeldByCurrentThread());
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> lock.locked(() -> {
      throw new java.io.IOException("boom");
    }));
    assertEquals("boom", e.getMessage());
    assertFalse(lock.isHeldByCurrentThread());
  }
}
