package dev.jbuild.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.net.Attachment;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
  @TempDir Path root;

  private static ContainerState state(ContainerId id, String name) {
    return new ContainerState(id, name, "2026-01-01T00:00:00Z",
        ContainerSpec.of("sh").withVolumes(List.of(Volume.parseBind("/a:/b:ro"))), List.of(Path.of("/l1")), "bridge",
        ContainerState.CREATED, 1L, 2L, null, false, true, null, null, null, List.of(), List.of());
  }

  @Test
  void idsAreSixtyFourHex() {
    ContainerId id = ContainerId.random();
    assertEquals(64, id.hex().length());
    assertEquals(id.hex().substring(0, 12), id.shortId());
    assertEquals(id, ContainerId.parse(id.toString()));
    assertThrows(JbuildException.class, () -> ContainerId.parse("abc"));
  }

  @Test
  void threadsOfOneJvmShareTheStoreWithoutLosingWrites() throws Exception {
    ContainerStore store = new ContainerStore(root);
    int threads = 8;
    int perThread = 25;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      ContainerId shared = ContainerId.random();
      store.create(state(shared, null));
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          // each thread creates containers (the store-wide lock) and updates one shared container
          for (int i = 0; i < perThread; i++) {
            store.create(state(ContainerId.random(), null));
            store.update(shared, s -> s.plusResource(new Resource.OverlayRootfs(Path.of("/r"))));
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
      assertEquals(threads * perThread, store.read(shared).orElseThrow().resources().size());
      assertEquals(threads * perThread + 1, store.list().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void stateRoundTripsWithItsLedger() throws IOException {
    ContainerStore store = new ContainerStore(root);
    ContainerId id = ContainerId.random();
    store.create(state(id, "web"));
    Resource.CniAttachment cni = new Resource.CniAttachment(new Attachment(id.hex(), Path.of("/run/x"), "eth0", "{}", "{}", "{}"));
    store.update(id, s -> s.plusResource(new Resource.OverlayRootfs(Path.of("/r"))).plusResource(cni)
        .plusResource(new Resource.RuncContainer(id.hex(), Path.of("/run/jbuild/runc"))));
    ContainerState back = store.read(id).orElseThrow();
    assertEquals(3, back.resources().size());
    assertEquals(cni, back.resources().get(1));
    assertEquals(state(id, "web").spec(), back.spec());
    assertEquals(back, store.resolve("web"));
    assertEquals(back, store.resolve(id.hex().substring(0, 5)));
    assertThrows(ContainerNotFoundException.class, () -> store.resolve("nope"));
    assertThrows(JbuildException.class, () -> store.create(state(ContainerId.random(), "web")));
  }

  @Test
  void randomIdsDifferAndEqualityIsByValue() {
    java.util.Set<ContainerId> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(ContainerId.random()));
    }
    ContainerId id = ContainerId.random();
    assertEquals(id, ContainerId.parse(new String(id.hex())));
    assertEquals(id.hashCode(), ContainerId.parse(id.hex()).hashCode());
    assertFalse(id.equals(id.hex()));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aStateThatCannotBeWrittenLeavesNoDirectory() throws IOException {
    ContainerStore store = new ContainerStore(root);
    ContainerId id = ContainerId.random();
    // a value with no JSON form (only reachable through a raw list) makes serialising fail
    ContainerState bad = state(id, null).withResources((List) List.of(new Object()));
    assertThrows(IllegalArgumentException.class, () -> store.create(bad));
    assertFalse(Files.exists(store.dir(id)));
    assertTrue(store.list().isEmpty());
  }

  @Test
  void ledgerFindsEntriesByValue() {
    Attachment att = new Attachment("c", Path.of("/run/x"), "eth0", "{}", "{}", "{}");
    List<Resource> l = List.of(new Resource.OverlayRootfs(Path.of("/r")), new Resource.CniAttachment(att),
        new Resource.RuncContainer("c", Path.of("/run/jbuild/runc"), 5L, 6L), new Resource.Directory(Path.of("/r")));
    assertEquals(0, ResourceLedger.indexOf(l, new Resource.OverlayRootfs(Path.of("/r"))));
    assertEquals(3, ResourceLedger.indexOf(l, new Resource.Directory(Path.of("/r"))));
    assertEquals(1, ResourceLedger.indexOf(l, new Resource.CniAttachment(
        new Attachment("c", Path.of("/run/x"), "eth0", "{}", "{}", "{}"))));
    assertEquals(-1, ResourceLedger.indexOf(l, new Resource.CniAttachment(att.withResult("{\"cniVersion\":\"1.0.0\"}"))));
    assertEquals(2, ResourceLedger.indexOf(l, new Resource.RuncContainer("c", Path.of("/run/jbuild/runc"), 5L, 6L)));
    assertEquals(-1, ResourceLedger.indexOf(l, new Resource.RuncContainer("c", Path.of("/run/jbuild/runc"))));
    assertEquals(-1, ResourceLedger.indexOf(l, new Resource.PinnedNetNs(Path.of("/r"))));
  }

  @Test
  void ledgerReleasesInReverseAndKeepsFailures() throws IOException {
    ContainerStore store = new ContainerStore(root);
    ContainerId id = ContainerId.random();
    store.create(state(id, null));
    Path a = Files.createDirectories(root.resolve("scratch-a/sub"));
    Path b = Files.createDirectories(root.resolve("scratch-b"));
    ResourceLedger ledger = new ResourceLedger(store, id, null, null);
    ledger.record(new Resource.Directory(a.getParent()));
    ledger.record(new Resource.Directory(b));
    ledger.close();
    assertFalse(Files.exists(a.getParent()));
    assertFalse(Files.exists(b));
    assertTrue(store.read(id).orElseThrow().resources().isEmpty());
    ledger.close(); // idempotent

    // a release that fails (here: no OCI runtime to delete with) stays in the ledger; the rest go
    Path c = Files.createDirectories(root.resolve("scratch-c"));
    Path d = Files.createDirectories(root.resolve("scratch-d"));
    Resource stuck = new Resource.RuncContainer("x", root.resolve("no-runc-root"), null, null);
    ledger.record(new Resource.Directory(c));
    ledger.record(stuck);
    ledger.record(new Resource.Directory(d));
    assertThrows(NullPointerException.class, ledger::release);
    assertFalse(Files.exists(c));
    assertFalse(Files.exists(d));
    assertEquals(List.of(stuck), store.read(id).orElseThrow().resources());

    store.delete(id);
    assertFalse(Files.exists(store.dir(id)));
    assertTrue(ledger.release().isEmpty(), "no state, nothing to release");
  }

  @Test
  void findsARuntimeRunByItsCommandLine() throws Exception {
    String id = ContainerId.random().hex();
    assertTrue(ResourceLedger.runtimeRun(id).isEmpty());
    // a stand-in with the command line RuncRuntime gives runc: ... run --bundle DIR ID
    Process p = new ProcessBuilder("bash", "-c", "sleep 30; exit 0", "runc", "--root", "/x", "run", "--bundle", "/b", id).start();
    try {
      long found = -1;
      for (int i = 0; i < 100 && found < 0; i++) {
        found = ResourceLedger.runtimeRun(id).orElse(-1);
        Thread.sleep(10);
      }
      assertEquals(p.pid(), found);
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    assertTrue(ResourceLedger.runtimeRun(id).isEmpty());
  }

  @Test
  void reaperSeesDeadOwners() {
    ContainerState s = state(ContainerId.random(), null);
    assertTrue(Reaper.needsReaping(s.withOwner(Long.MAX_VALUE / 2, null)));
    long self = ProcessHandle.current().pid();
    assertFalse(Reaper.needsReaping(s.withOwner(self, Reaper.startOf(self))));
    assertTrue(Reaper.needsReaping(s.withOwner(self, 12345L)), "a reused pid is not the owner");
  }
}
