package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs blob transfers in parallel and stops at the first failure: the remaining transfers are
 * cancelled (interrupted) and that first failure is rethrown as it was thrown.
 *
 * <pre>{@code
 * List<Descriptor> got = Transfers.run(3, layers.stream()
 *     .map(l -> (Transfers.Transfer<Descriptor>) () -> pull(l)).toList());
 * }</pre>
 */
public final class Transfers {
  private Transfers() {}

  /** One transfer: may do I/O, returns its result. */
  @FunctionalInterface
  public interface Transfer<T> {
    T call() throws IOException;
  }

  /** Runs the transfers on a pool of {@code parallelism} threads made for the call; results in task order. */
  public static <T> List<T> run(int parallelism, List<? extends Transfer<T>> tasks) throws IOException {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    if (tasks.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), r -> {
      Thread t = new Thread(r, "jbuild-transfer");
      t.setDaemon(true);
      return t;
    });
    try {
      return run(pool, tasks);
    } finally {
      pool.shutdownNow();
      try {
        // cancelled transfers stop at their next blocking call; wait so none outlives the call
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs the transfers on an executor the caller owns; results in task order. */
  public static <T> List<T> run(ExecutorService executor, List<? extends Transfer<T>> tasks) throws IOException {
    ExecutorCompletionService<T> done = new ExecutorCompletionService<>(executor);
    List<Future<T>> futures = new ArrayList<>();
    try {
      for (Transfer<T> t : tasks) {
        futures.add(done.submit(t::call));
      }
      for (int i = 0; i < futures.size(); i++) {
        Future<T> f = done.take();
        try {
          f.get();
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        } catch (CancellationException e) {
          throw new InterruptedIOException("transfer cancelled");
        }
      }
      List<T> results = new ArrayList<>(futures.size());
      for (Future<T> f : futures) {
        results.add(f.resultNow());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while transferring");
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
  }

  private static IOException rethrow(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new UncheckedIOException(new IOException(cause));
  }
}
