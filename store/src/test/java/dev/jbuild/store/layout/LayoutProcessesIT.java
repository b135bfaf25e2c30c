package dev.jbuild.store.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.OciSchemas;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.StoreProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes (and threads) on one store: file locks exclude processes, the in-process lock
 * excludes threads, and together no tag is lost and {@code index.json} stays valid.
 */
class LayoutProcessesIT {
  static final int PROCESSES = 3;
  static final int TAGS = 25;

  @Test
  void threeProcessesAndThisOneTagConcurrently(@TempDir Path tmp) throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    List<Process> workers = new ArrayList<>();
    try {
      for (int id = 0; id < PROCESSES; id++) {
        workers.add(StoreProcesses.start(TagWorkerMain.class, tmp.resolve("worker" + id + ".err"),
            store.root().toString(), Integer.toString(id), Integer.toString(TAGS)));
      }
      // this JVM tags at the same time, from two threads
      Descriptor mine = RandomImages.image(store, 1, 1000, 99);
      Thread other = new Thread(() -> tagMany(store, "local-b", mine));
      other.start();
      tagMany(store, "local-a", mine);
      other.join();
      for (int id = 0; id < PROCESSES; id++) {
        Process p = workers.get(id);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "worker " + id + " did not finish");
        assertEquals(0, p.exitValue(), "worker " + id + " failed: " + Files.readString(tmp.resolve("worker" + id + ".err")));
      }
    } finally {
      workers.forEach(Process::destroyForcibly);
    }
    byte[] indexBytes = Files.readAllBytes(store.root().oci().resolve("index.json"));
    assertEquals(List.of(), OciSchemas.get().violations(MediaType.OCI_INDEX, indexBytes));
    Index index = OciJson.read(indexBytes, Index.class);
    Set<String> expected = new HashSet<>();
    for (int id = 0; id < PROCESSES; id++) {
      for (int i = 0; i < TAGS; i++) {
        expected.add("w" + id + "/img:" + i);
      }
    }
    for (int i = 0; i < TAGS; i++) {
      expected.add("local-a:" + i);
      expected.add("local-b:" + i);
    }
    List<String> names = store.layout().list().stream().flatMap(e -> e.ref().stream()).map(OciLayout::refName).toList();
    assertEquals(expected, new HashSet<>(names));
    assertEquals(expected.size(), names.size(), "a name is listed twice");
    assertEquals(expected.size(), index.manifests().size());
    for (Descriptor d : new HashSet<>(index.manifests().stream().map(d -> Descriptor.of(d.mediaType(), d.digest(), d.size())).toList())) {
      ImageValidator.validate(store, d);
    }
  }

  @Test
  void aKilledTaggerLeavesAValidIndex(@TempDir Path tmp) throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Process p = StoreProcesses.start(TagWorkerMain.class, tmp.resolve("worker.err"), store.root().toString(), "7", "100000");
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 20; i++) {
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("tagged"), "worker stopped early: " + line
            + " " + Files.readString(tmp.resolve("worker.err")));
      }
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    Index index = store.layout().index();
    assertTrue(index.manifests().size() >= 20, "lost tags: " + index.manifests().size());
    // the lock died with the process: this one can update at once
    store.layout().tag(ImageRef.parse("after:1"), index.manifests().get(0));
    assertTrue(store.layout().resolve("after:1").isPresent());
  }

  private static void tagMany(Store store, String repo, Descriptor image) {
    try {
      for (int i = 0; i < TAGS; i++) {
        store.layout().tag(ImageRef.parse(repo + ":" + i), image);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
