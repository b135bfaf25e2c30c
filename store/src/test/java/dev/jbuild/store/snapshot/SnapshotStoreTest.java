package dev.jbuild.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir Path root;

  static final ChainId ID = ChainId.of(Digest.of("layer"));

  @Test
  void createFillsUnderTmpAndRenamesIntoPlace() throws IOException {
    SnapshotStore store = new SnapshotStore(root);
    assertFalse(store.has(ID));
    List<Path> seen = new ArrayList<>();
    Path p = store.create(ID, dir -> {
      seen.add(dir);
      assertTrue(dir.startsWith(root.resolve("tmp")));
      Files.writeString(dir.resolve("f"), "x");
    });
    assertEquals(root.resolve("snapshots").resolve(ID.hex()), p);
    assertEquals("x", Files.readString(p.resolve("f")));
    assertFalse(Files.exists(seen.get(0)));
    assertTrue(store.has(ID));
    assertEquals(List.of(ID), store.list());
    // idempotent: the filler is not called again
    assertEquals(p, store.create(ID, dir -> {
      throw new AssertionError("filled twice");
    }));
  }

  @Test
  void failedFillLeavesNothing() throws IOException {
    SnapshotStore store = new SnapshotStore(root);
    assertThrows(IOException.class, () -> store.create(ID, dir -> {
      Files.writeString(dir.resolve("half"), "x");
      throw new IOException("boom");
    }));
    assertFalse(store.has(ID));
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void concurrentCreatorsOneWinsOthersDiscard() throws Exception {
    SnapshotStore store = new SnapshotStore(root);
    int n = 6;
    CountDownLatch allFilled = new CountDownLatch(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String mine = "writer " + i;
        results.add(pool.submit(() -> store.create(ID, dir -> {
          Files.writeString(dir.resolve("who"), mine);
          // everyone has a full copy before anyone renames: they really race
          allFilled.countDown();
          try {
            allFilled.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
        })));
      }
      for (Future<Path> f : results) {
        assertEquals(store.path(ID), f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(Files.readString(store.path(ID).resolve("who")).startsWith("writer "));
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      assertEquals(0, s.count(), "losers discarded their copies");
    }
  }

  @Test
  void commitDirAdoptsAPreparedDirectoryOnce() throws IOException {
    SnapshotStore store = new SnapshotStore(root);
    Path upper = Files.createDirectories(root.resolve("containers/c1/upper"));
    Files.writeString(upper.resolve("f"), "1");
    assertEquals(store.path(ID), store.commitDir(ID, upper));
    assertFalse(Files.exists(upper));
    Path again = Files.createDirectories(root.resolve("containers/c2/upper"));
    Files.writeString(again.resolve("f"), "2");
    store.commitDir(ID, again);
    assertFalse(Files.exists(again));
    assertEquals("1", Files.readString(store.path(ID).resolve("f")));
  }

  @Test
  void removeDeletesWholeTrees() throws IOException {
    SnapshotStore store = new SnapshotStore(root);
    Path p = store.create(ID, dir -> {
      Files.createDirectories(dir.resolve("a/b"));
      Files.createSymbolicLink(dir.resolve("a/b/out"), root);
    });
    assertTrue(store.remove(ID));
    assertFalse(Files.exists(p));
    assertTrue(Files.isDirectory(root.resolve("snapshots")), "the symlink was not followed");
    assertFalse(store.remove(ID));
    assertEquals(List.of(), store.list());
  }
}
