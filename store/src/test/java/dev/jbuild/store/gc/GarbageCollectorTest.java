package dev.jbuild.store.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.RandomImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path tmp;
  Store store;

  @BeforeEach
  void open() throws IOException {
    store = Store.open(StoreRoot.of(tmp.resolve("root")));
  }

  @Test
  void sweepsWhatNoTagReaches() throws IOException {
    Descriptor kept = RandomImages.image(store, 2, 1000, 1);
    Descriptor dropped = RandomImages.image(store, 3, 1000, 2);
    store.layout().tag(ImageRef.parse("kept:1"), kept);
    Set<Digest> before = blobs();
    Set<Digest> droppedBlobs = closure(dropped);
    long droppedBytes = 0;
    for (Digest d : droppedBlobs) {
      droppedBytes += store.blobs().size(d);
    }
    GarbageCollector.Result r = store.gc().collect(Set.of());
    assertEquals(droppedBlobs.size(), r.blobsRemoved());
    assertEquals(droppedBytes, r.bytesFreed());
    Set<Digest> expected = new HashSet<>(before);
    expected.removeAll(droppedBlobs);
    assertEquals(expected, blobs());
    ImageValidator.validate(store, kept);
    // a second run finds nothing more
    assertEquals(new GarbageCollector.Result(0, 0, 0), store.gc().collect(Set.of()));
  }

  @Test
  void extraRootsKeepImagesAndSingleBlobs() throws IOException {
    Descriptor image = RandomImages.image(store, 2, 100, 1);
    Descriptor other = RandomImages.image(store, 1, 100, 2);
    Manifest m = OciJson.read(store.blobs().readAll(other.digest(), OciJson.MAX_BYTES), Manifest.class);
    Digest lonelyLayer = m.layers().get(0).digest();
    store.gc().collect(Set.of(image.digest(), lonelyLayer));
    ImageValidator.validate(store, image);
    assertTrue(store.blobs().has(lonelyLayer));
    assertFalse(store.blobs().has(other.digest()));
    assertFalse(store.blobs().has(m.config().digest()));
  }

  @Test
  void nestedIndexesAreFollowed() throws IOException {
    Descriptor amd = RandomImages.image(store, 1, 100, 1).withPlatform(Platform.LINUX_AMD64);
    Descriptor arm = RandomImages.image(store, 1, 100, 2).withPlatform(Platform.parse("linux/arm64"));
    Descriptor inner = store.blobs().put(MediaType.OCI_INDEX, OciJson.write(Index.of(List.of(arm))));
    Descriptor outer = store.blobs().put(MediaType.OCI_INDEX, OciJson.write(Index.of(List.of(amd, inner))));
    store.layout().tag(ImageRef.parse("multi:1"), outer);
    Set<Digest> before = blobs();
    GarbageCollector.Result r = store.gc().collect(Set.of());
    assertEquals(0, r.blobsRemoved());
    assertEquals(before, blobs());
    ImageValidator.validate(store, outer);
  }

  @Test
  void graceSparesRecentBlobs() throws IOException {
    Descriptor image = RandomImages.image(store, 1, 100, 1);
    GarbageCollector.Result r = store.gc().collect(Set.of(), Duration.ofHours(1));
    assertEquals(0, r.blobsRemoved());
    assertTrue(store.blobs().has(image.digest()));
    for (Digest d : blobs()) {
      Files.setLastModifiedTime(store.blobs().path(d), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    }
    r = store.gc().collect(Set.of(), Duration.ofHours(1));
    assertEquals(3, r.blobsRemoved());
    assertEquals(Set.of(), blobs());
  }

  @Test
  void staleTempFilesGoFreshOnesStay() throws IOException {
    Path stale = Files.write(store.root().tmp().resolve("blob-1.partial"), new byte[10]);
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = Files.write(store.root().tmp().resolve("blob-2.partial"), new byte[20]);
    Path scratch = Files.createDirectory(store.root().tmp().resolve("scratch"));
    Files.setLastModifiedTime(scratch, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    GarbageCollector.Result r = store.gc().collect(Set.of());
    assertEquals(1, r.tempFilesRemoved());
    assertEquals(10, r.bytesFreed());
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
    assertTrue(Files.exists(scratch));
    // with a clock two hours ahead, the fresh one is stale too
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
    GarbageCollector gc = new GarbageCollector(store.root(), store.blobs(), store.layout(), store.lock(), later);
    assertEquals(1, gc.collect(Set.of()).tempFilesRemoved());
    assertFalse(Files.exists(fresh));
  }

  @Test
  @SuppressWarnings("try") // the lock is held for its effect on the other thread
  void holdsTheStoreLock() throws Exception {
    RandomImages.image(store, 1, 100, 1);
    Thread gcThread;
    try (var held = store.lock().acquire()) {
      gcThread = new Thread(() -> {
        try {
          store.gc().collect(Set.of());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      gcThread.start();
      gcThread.join(300);
      assertTrue(gcThread.isAlive(), "collector ran although another thread held the lock");
      assertEquals(3, blobs().size());
    }
    gcThread.join(10_000);
    assertFalse(gcThread.isAlive());
    assertEquals(0, blobs().size());
  }

  private Set<Digest> closure(Descriptor manifest) throws IOException {
    Manifest m = OciJson.read(store.blobs().readAll(manifest.digest(), OciJson.MAX_BYTES), Manifest.class);
    Set<Digest> out = new HashSet<>();
    out.add(manifest.digest());
    out.add(m.config().digest());
    m.layers().forEach(l -> out.add(l.digest()));
    return out;
  }

  private Set<Digest> blobs() throws IOException {
    try (Stream<Path> s = Files.list(store.root().blobs().resolve("sha256"))) {
      return s.map(p -> Digest.parse("sha256:" + p.getFileName())).collect(java.util.stream.Collectors.toSet());
    }
  }
}
