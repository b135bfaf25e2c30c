package dev.jbuild.store.archive;

import static dev.jbuild.store.archive.ArchiveTestSupport.assertVerifies;
import static dev.jbuild.store.archive.ArchiveTestSupport.oci;
import static dev.jbuild.store.archive.ArchiveTestSupport.saved;
import static dev.jbuild.store.archive.ArchiveTestSupport.sourceStore;
import static dev.jbuild.store.archive.ArchiveTestSupport.store;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.ImageValidator;
import dev.jbuild.store.testing.OciSchemas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciArchiveTest {
  @TempDir Path tmp;

  @Test
  void roundTripIntoAnEmptyStoreKeepsManifestDigests() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] archive = oci(src, "a:1", "localhost:5000/b/c:2", "a:latest");
    Store dst = store(tmp.resolve("dst"));

    LoadResult r = new ArchiveLoader(dst).load(new ByteArrayInputStream(archive));

    assertEquals(ArchiveFormat.OCI_ARCHIVE, r.format());
    assertEquals(List.of("Loaded image: a:1", "Loaded image: a:latest", "Loaded image: localhost:5000/b/c:2"),
        r.images().stream().flatMap(i -> i.describe().stream()).sorted().toList());
    for (String name : List.of("a:1", "a:latest", "localhost:5000/b/c:2")) {
      Descriptor want = src.layout().resolve(ImageRef.parse(name)).orElseThrow();
      Descriptor got = dst.layout().resolve(ImageRef.parse(name)).orElseThrow();
      assertEquals(want.digest(), got.digest(), name);
      ImageValidator.validate(dst, got);
    }
    assertVerifies(dst);
  }

  @Test
  void archiveIsDeterministicSortedAndOwnedByRoot() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] first = oci(src, "a:1", "localhost:5000/b/c:2");
    byte[] second = oci(src, "a:1", "localhost:5000/b/c:2");
    assertArrayEquals(first, second);

    List<String> names = new ArrayList<>();
    for (TarBytes.Entry e : TarBytes.read(first)) {
      names.add(e.name());
      assertEquals(0, e.header().getModTime().getTime(), e.name());
      assertEquals(0, e.header().getLongUserId(), e.name());
      assertEquals(0, e.header().getLongGroupId(), e.name());
      assertEquals("", e.header().getUserName(), e.name());
      assertEquals(e.header().isDirectory() ? 0755 : 0644, e.header().getMode() & 07777, e.name());
      if (e.name().startsWith("blobs/sha256/") && e.header().isFile()) {
        assertEquals(Digest.parse("sha256:" + e.name().substring(13)), Digest.of(e.content()));
      }
    }
    assertEquals(names.stream().sorted().toList(), names);
    assertEquals(List.of("blobs/", "blobs/sha256/"), names.subList(0, 2));
    assertEquals(List.of("index.json", "oci-layout"), names.subList(names.size() - 2, names.size()));
    // 2 manifests + 2 configs + 3 + 2 layers
    assertEquals(9, names.stream().filter(n -> n.startsWith("blobs/sha256/") && n.length() > 13).count());
  }

  @Test
  void indexJsonNamesEachImageAndValidates() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Map<String, byte[]> files = TarBytes.files(oci(src, "a:1", "localhost:5000/b/c:2"));
    Index index = OciJson.read(files.get("index.json"), Index.class);
    assertEquals(List.of("a:1", "localhost:5000/b/c:2"),
        index.manifests().stream().map(d -> d.annotationsOrEmpty().get(Annotations.REF_NAME)).toList());
    List<String> problems = OciSchemas.get().violations(dev.jbuild.store.oci.MediaType.OCI_INDEX, files.get("index.json"));
    assertTrue(problems.isEmpty(), problems::toString);
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(files.get("oci-layout")));
  }

  @Test
  void imageSavedByIdGoesUnnamedAndLoadsUntagged() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Descriptor a = src.layout().resolve(ImageRef.parse("a:1")).orElseThrow();
    byte[] archive = oci(src, a.digest().hex().substring(0, 12));
    Index index = OciJson.read(TarBytes.files(archive).get("index.json"), Index.class);
    assertEquals(Map.of(), index.manifests().get(0).annotationsOrEmpty());

    Store dst = store(tmp.resolve("dst"));
    LoadResult r = new ArchiveLoader(dst).load(new ByteArrayInputStream(archive));
    assertEquals(List.of(), r.images().get(0).names());
    assertEquals(List.of(a.digest()), dst.layout().list().stream().map(e -> e.descriptor().digest()).toList());
    assertTrue(r.images().get(0).describe().get(0).startsWith("Loaded image ID: sha256:"));
  }

  @Test
  void directoryLayoutRoundTrip() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Path dir = tmp.resolve("layout");
    new OciArchive(src).writeDirectory(saved(src, "a:1", "localhost:5000/b/c:2"), dir);
    assertTrue(Files.isRegularFile(dir.resolve("oci-layout")));
    Store dst = store(tmp.resolve("dst"));

    LoadResult r = new ArchiveLoader(dst).load(dir);

    assertEquals(ArchiveFormat.OCI_DIR, r.format());
    for (String name : List.of("a:1", "localhost:5000/b/c:2")) {
      assertEquals(src.layout().resolve(ImageRef.parse(name)).orElseThrow().digest(),
          dst.layout().resolve(ImageRef.parse(name)).orElseThrow().digest());
    }
    assertVerifies(dst);
  }

  @Test
  void directoryMustBeEmpty() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    Path dir = Files.createDirectories(tmp.resolve("layout"));
    Files.writeString(dir.resolve("x"), "x");
    ArchiveException e = org.junit.jupiter.api.Assertions.assertThrows(ArchiveException.class,
        () -> new OciArchive(src).writeDirectory(saved(src, "a:1"), dir));
    assertTrue(e.describe().contains("not empty"), e.describe());
  }

  @Test
  void compressedArchivesLoad() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] archive = oci(src, "a:1");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(archive);
    }
    ByteArrayOutputStream zst = new ByteArrayOutputStream();
    try (com.github.luben.zstd.ZstdOutputStream out = new com.github.luben.zstd.ZstdOutputStream(zst)) {
      out.write(archive);
    }
    for (byte[] compressed : List.of(gz.toByteArray(), zst.toByteArray())) {
      Store dst = store(Files.createTempDirectory(tmp, "dst"));
      new ArchiveLoader(dst).load(new ByteArrayInputStream(compressed));
      assertEquals(src.layout().resolve(ImageRef.parse("a:1")).orElseThrow().digest(),
          dst.layout().resolve(ImageRef.parse("a:1")).orElseThrow().digest());
    }
  }

  @Test
  void bareTagIsCombinedWithContainerdNameOrLoadedUntagged() throws Exception {
    Store src = sourceStore(tmp.resolve("src"));
    byte[] archive = oci(src, "a:1");
    Descriptor a = src.layout().resolve(ImageRef.parse("a:1")).orElseThrow();

    byte[] withName = withIndexAnnotations(archive, Map.of(Annotations.REF_NAME, "v7",
        OciArchive.CONTAINERD_NAME, "docker.io/library/busybox:latest"));
    Store dst = store(tmp.resolve("dst1"));
    LoadResult r = new ArchiveLoader(dst).load(new ByteArrayInputStream(withName));
    assertEquals(List.of("Loaded image: busybox:v7"), r.images().get(0).describe());
    assertEquals(a.digest(), dst.layout().resolve(ImageRef.parse("busybox:v7")).orElseThrow().digest());
    assertEquals(List.of(), r.notes());

    byte[] bare = withIndexAnnotations(archive, Map.of(Annotations.REF_NAME, "latest"));
    Store dst2 = store(tmp.resolve("dst2"));
    LoadResult r2 = new ArchiveLoader(dst2).load(new ByteArrayInputStream(bare));
    assertEquals(List.of(), r2.images().get(0).names());
    assertEquals(1, r2.notes().size());
    assertTrue(r2.notes().get(0).contains("\"latest\""), r2.notes().get(0));
    assertEquals(1, dst2.layout().list().size());
    assertTrue(dst2.layout().list().get(0).ref().isEmpty());
  }

  static byte[] withIndexAnnotations(byte[] archive, Map<String, String> annotations) throws Exception {
    List<TarBytes.Entry> entries = new ArrayList<>();
    for (TarBytes.Entry e : TarBytes.read(archive)) {
      if (e.name().equals("index.json")) {
        Index idx = OciJson.read(e.content(), Index.class);
        Index changed = idx.withManifests(idx.manifests().stream().map(d -> d.withAnnotations(annotations)).toList());
        entries.add(TarBytes.file("index.json", OciJson.write(changed)));
      } else {
        entries.add(e);
      }
    }
    return TarBytes.write(entries);
  }

}
