package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransfersTest {
  @Test
  void returnsResultsInTaskOrderAndRunsInParallel() throws IOException {
    CountDownLatch all = new CountDownLatch(3);
    List<Transfers.Transfer<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      tasks.add(() -> {
        all.countDown();
        try {
          // only returns if the three run at the same time
          if (!all.await(10, TimeUnit.SECONDS)) {
            throw new IOException("not parallel");
          }
        } catch (InterruptedException e) {
          throw new InterruptedIOException();
        }
        return n * 10;
      });
    }
    assertEquals(List.of(0, 10, 20), Transfers.run(3, tasks));
  }

  @Test
  void firstFailureCancelsTheOthers() {
    AtomicInteger interrupted = new AtomicInteger();
    IOException boom = new IOException("boom");
    CountDownLatch started = new CountDownLatch(3);
    List<Transfers.Transfer<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(() -> {
        started.countDown();
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw new InterruptedIOException();
        }
        return "slow";
      });
    }
    tasks.add(() -> {
      try {
        // fail only once the others are running, so each of them must be interrupted
        started.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
      throw boom;
    });
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> Transfers.run(4, tasks));
    assertSame(boom, e);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    assertEquals(3, interrupted.get());
  }

  @Test
  void uncheckedFailuresPassThrough() {
    RegistryException re = new RegistryException("x");
    List<Transfers.Transfer<String>> tasks = List.of(() -> {
      throw re;
    });
    assertSame(re, assertThrows(RegistryException.class, () -> Transfers.run(2, tasks)));
  }
}
