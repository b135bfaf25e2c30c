package dev.jbuild.store.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import dev.jbuild.store.testing.OciSchemas;
import dev.jbuild.store.testing.RandomImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
  @TempDir Path tmp;
  Store store;
  OciLayout layout;
  Descriptor a;
  Descriptor b;

  @BeforeEach
  void open() throws IOException {
    store = Store.open(StoreRoot.of(tmp.resolve("root")));
    layout = store.layout();
    a = RandomImages.image(store, 1, 100, 1);
    b = RandomImages.image(store, 1, 100, 2);
  }

  @Test
  void tagWritesTheFamiliarNameAnnotation() throws IOException {
    layout.tag(ImageRef.parse("myimg:1"), a);
    layout.tag(ImageRef.parse("docker.io/library/busybox"), a);
    layout.tag(ImageRef.parse("localhost:5000/x/y:t"), b);
    Index index = OciJson.read(Files.readAllBytes(store.root().oci().resolve("index.json")), Index.class);
    assertEquals(List.of("myimg:1", "busybox:latest", "localhost:5000/x/y:t"),
        index.manifests().stream().map(d -> d.annotationsOrEmpty().get(Annotations.REF_NAME)).toList());
    assertEquals(a.digest(), index.manifests().get(0).digest());
    assertEquals(a.size(), index.manifests().get(0).size());
    assertEquals(MediaType.OCI_MANIFEST, index.manifests().get(0).mediaType());
    assertEquals(List.of(), OciSchemas.get().violations(MediaType.OCI_INDEX, OciJson.write(index)));
  }

  @Test
  void resolveByNameDigestAndId() throws IOException {
    layout.tag(ImageRef.parse("myimg:1"), a);
    assertEquals(Optional.of(a.digest()), layout.resolve(ImageRef.parse("myimg:1")).map(Descriptor::digest));
    assertEquals(Optional.of(a.digest()), layout.resolve("docker.io/library/myimg:1").map(Descriptor::digest));
    assertEquals(Optional.empty(), layout.resolve(ImageRef.parse("myimg:2")));
    assertEquals(Optional.empty(), layout.resolve("myimg"));
    assertEquals(Optional.of(a.digest()), layout.resolve(a.digest().toString()).map(Descriptor::digest));
    assertEquals(Optional.of(a.digest()), layout.resolve("myimg@" + a.digest()).map(Descriptor::digest));
    assertEquals(Optional.of(a.digest()), layout.resolve(a.digest().hex().substring(0, 12)).map(Descriptor::digest));
    // docker's image id is the config digest
    Manifest m = OciJson.read(store.blobs().readAll(a.digest(), OciJson.MAX_BYTES), Manifest.class);
    assertEquals(Optional.of(a.digest()), layout.resolve(m.config().digest().hex().substring(0, 8)).map(Descriptor::digest));
    assertEquals(Optional.of(a.digest()), layout.resolve("sha256:" + m.config().digest().hex().substring(0, 8))
        .map(Descriptor::digest));
    assertEquals(Optional.empty(), layout.resolve(b.digest().toString()));
    assertThrows(InvalidRefException.class, () -> layout.resolve("Not:Valid"));
  }

  @Test
  void ambiguousIdPrefixFails() throws IOException {
    layout.tag(ImageRef.parse("a:1"), a);
    // seeds are deterministic: find an image whose manifest digest starts like a's
    Descriptor twin = null;
    for (long seed = 3; twin == null; seed++) {
      Descriptor d = RandomImages.image(store, 1, 10, seed);
      if (d.digest().hex().charAt(0) == a.digest().hex().charAt(0)) {
        twin = d;
      }
    }
    layout.tag(ImageRef.parse("twin:1"), twin);
    String prefix = a.digest().hex().substring(0, 1);
    InvalidRefException e = assertThrows(InvalidRefException.class, () -> layout.resolve("sha256:" + prefix));
    assertTrue(e.getMessage().contains("matches 2 images"), e.getMessage());
    assertEquals(Optional.of(twin.digest()), layout.resolve(twin.digest().hex()).map(Descriptor::digest));
  }

  @Test
  void retagKeepsTheOldImageUntagged() throws IOException {
    ImageRef ref = ImageRef.parse("app:1");
    layout.tag(ref, a);
    layout.tag(ref, b);
    List<OciLayout.Entry> entries = layout.list();
    assertEquals(2, entries.size());
    assertEquals(Optional.of(ref), entries.get(0).ref());
    assertEquals(b.digest(), entries.get(0).descriptor().digest());
    assertEquals(Optional.empty(), entries.get(1).ref());
    assertEquals(a.digest(), entries.get(1).descriptor().digest());
    // tagging the dangling image again replaces its untagged entry
    layout.tag(ImageRef.parse("app:old"), a);
    assertEquals(List.of("app:1", "app:old"), names());
  }

  @Test
  void untagRemovesTheName() throws IOException {
    layout.tag(ImageRef.parse("app:1"), a);
    layout.tag(ImageRef.parse("app:2"), a);
    assertEquals(Optional.of(a.digest()), layout.untag(ImageRef.parse("app:1")).map(Descriptor::digest));
    assertEquals(Optional.empty(), layout.untag(ImageRef.parse("app:1")));
    assertEquals(List.of("app:2"), names());
    layout.untag(ImageRef.parse("app:2"));
    assertEquals(List.of(), layout.list());
  }

  @Test
  void addAndRemoveUntaggedImages() throws IOException {
    layout.add(a);
    layout.add(a);
    assertEquals(1, layout.list().size());
    layout.tag(ImageRef.parse("x:1"), b);
    layout.tag(ImageRef.parse("x:2"), b);
    assertEquals(2, layout.remove(b.digest()).size());
    assertEquals(List.of(a.digest()), layout.list().stream().map(e -> e.descriptor().digest()).toList());
  }

  @Test
  void tagNeedsATag() {
    ImageRef digestOnly = ImageRef.parse("x@" + a.digest());
    InvalidRefException e = assertThrows(InvalidRefException.class, () -> layout.tag(digestOnly, a));
    assertTrue(e.getMessage().contains("a tag is needed"), e.getMessage());
  }

  @Test
  void otherAnnotationsAreKept() throws IOException {
    layout.tag(ImageRef.parse("x:1"), a.withAnnotations(Map.of("org.example", "v")));
    Descriptor d = layout.resolve(ImageRef.parse("x:1")).orElseThrow();
    assertEquals(Map.of("org.example", "v", Annotations.REF_NAME, "x:1"), d.annotations());
  }

  @Test
  void namesWrittenByOtherToolsInFullFormAreFound() throws IOException {
    // as `skopeo copy ... oci:<root>/oci:docker.io/library/x:1` would write it
    Files.writeString(store.root().oci().resolve("index.json"), new String(OciJson.write(Index.of(List.of(
        a.withAnnotations(Map.of(Annotations.REF_NAME, "docker.io/library/x:1")))))));
    assertEquals(Optional.of(a.digest()), layout.resolve("x:1").map(Descriptor::digest));
    layout.tag(ImageRef.parse("x:1"), b);
    assertEquals(List.of("x:1"), names());
  }

  @Test
  void concurrentThreadsOnSeveralStoreObjectsLoseNothing() throws Exception {
    int threads = 6;
    int perThread = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          // half the threads share the test's Store, half open their own on the same root
          Store s = id % 2 == 0 ? store : Store.open(store.root());
          for (int i = 0; i < perThread; i++) {
            s.layout().tag(ImageRef.parse("t" + id + "/img:" + i), i % 2 == 0 ? a : b);
            s.layout().tag(ImageRef.parse("t" + id + "/tmp:" + i), a);
            s.layout().untag(ImageRef.parse("t" + id + "/tmp:" + i));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> expected = new HashSet<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.add("t" + t + "/img:" + i);
      }
    }
    assertEquals(expected, new HashSet<>(names()));
    assertEquals(expected.size(), names().size());
    byte[] index = Files.readAllBytes(store.root().oci().resolve("index.json"));
    assertEquals(List.of(), OciSchemas.get().violations(MediaType.OCI_INDEX, index));
    try (Stream<Path> s = Files.list(store.root().tmp())) {
      assertEquals(List.of(), s.toList(), "temp files left behind");
    }
  }

  private List<String> names() throws IOException {
    return layout.list().stream().flatMap(e -> e.ref().stream()).map(OciLayout::refName)
        .collect(Collectors.toList());
  }
}
