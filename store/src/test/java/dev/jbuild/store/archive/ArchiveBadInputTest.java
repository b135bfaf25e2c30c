package dev.jbuild.store.archive;

import static dev.jbuild.store.archive.ArchiveTestSupport.assertSameIndex;
import static dev.jbuild.store.archive.ArchiveTestSupport.assertVerifies;
import static dev.jbuild.store.archive.ArchiveTestSupport.docker;
import static dev.jbuild.store.archive.ArchiveTestSupport.oci;
import static dev.jbuild.store.archive.ArchiveTestSupport.sourceStore;
import static dev.jbuild.store.archive.ArchiveTestSupport.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile archives: one clear error naming the thing, and the target store unchanged. */
class ArchiveBadInputTest {
  @TempDir Path tmp;
  Store src;
  Store dst;
  byte[] indexBefore;

  @BeforeEach
  void stores() throws Exception {
    src = sourceStore(tmp.resolve("src"));
    dst = store(tmp.resolve("dst"));
    // the target already holds an image, which a failed load must leave as it is
    dst.layout().tag(ImageRef.parse("keep:1"),
        dev.jbuild.store.testing.RandomImages.image(dst, 1, 100, 9));
    indexBefore = Files.readAllBytes(dst.root().oci().resolve("index.json"));
  }

  private ArchiveException failsCleanly(byte[] archive) throws Exception {
    ArchiveException e = assertThrows(ArchiveException.class,
        () -> new ArchiveLoader(dst).load(new ByteArrayInputStream(archive)));
    assertFalse(e.describe().contains("\n"), e.describe());
    assertSameIndex(indexBefore, dst);
    assertVerifies(dst);
    return e;
  }

  @Test
  void truncatedOciArchive() throws Exception {
    byte[] archive = oci(src, "a:1");
    ArchiveException e = failsCleanly(Arrays.copyOf(archive, archive.length / 2));
    assertTrue(e.describe().contains("truncated") || e.describe().contains("missing"), e.describe());
  }

  @Test
  void truncatedAtAnEntryBoundaryIsAMissingBlob() throws Exception {
    List<TarBytes.Entry> entries = new ArrayList<>(TarBytes.read(oci(src, "a:1")));
    // keep index.json and oci-layout but drop the blobs after the first one
    List<TarBytes.Entry> kept = new ArrayList<>(entries.subList(0, 3));
    kept.addAll(entries.subList(entries.size() - 2, entries.size()));
    ArchiveException e = failsCleanly(TarBytes.write(kept));
    assertTrue(e.describe().contains("blob missing"), e.describe());
  }

  @Test
  void corruptBlobIsNamed() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String layer = "blobs/sha256/" + a.layers().get(1).digest().hex();
    ArchiveException e = failsCleanly(alter(oci(src, "a:1"), entry -> {
      if (!entry.name().equals(layer)) {
        return entry;
      }
      byte[] c = entry.content().clone();
      c[c.length / 2] ^= 1;
      return TarBytes.file(entry.name(), c);
    }));
    assertTrue(e.describe().startsWith(layer + ": blob content does not match its name"), e.describe());
  }

  @Test
  void missingBlobIsNamed() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String config = "blobs/sha256/" + a.id().hex();
    ArchiveException e = failsCleanly(alter(oci(src, "a:1"), entry -> entry.name().equals(config) ? null : entry));
    assertEquals(a.id() + ": blob missing (config of manifest " + a.manifestDigest() + ")", e.describe());
  }

  @Test
  void notATar() throws Exception {
    ArchiveException e = failsCleanly("this is not an archive at all, just some text\n".repeat(40).getBytes());
    assertTrue(e.describe().contains("not a tar archive"), e.describe());
    ArchiveException empty = failsCleanly(new byte[0]);
    assertTrue(empty.describe().contains("not an image archive"), empty.describe());
  }

  @Test
  void tarWithoutImages() throws Exception {
    ArchiveException e = failsCleanly(TarBytes.write(List.of(TarBytes.file("hello.txt", "hi".getBytes()))));
    assertTrue(e.describe().contains("not an image archive"), e.describe());
  }

  @Test
  void wrongDiffIdInDockerArchive() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String l0 = a.config().rootfs().diffIds().get(0).hex() + "/layer.tar";
    String l1 = a.config().rootfs().diffIds().get(1).hex() + "/layer.tar";
    // the manifest lists the first two layers the wrong way round
    byte[] swapped = alter(docker(src, "a:1"), entry -> entry.name().equals("manifest.json")
        ? TarBytes.file("manifest.json", new String(entry.content()).replace(l0, "@").replace(l1, l0).replace("@", l1).getBytes())
        : entry);
    ArchiveException e = failsCleanly(swapped);
    assertTrue(e.describe().startsWith(l1 + ": layer content has diffID sha256:" + a.config().rootfs().diffIds().get(1).hex()),
        e.describe());
  }

  @Test
  void corruptLayerInDockerArchive() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String l2 = a.config().rootfs().diffIds().get(2).hex() + "/layer.tar";
    ArchiveException e = failsCleanly(alter(docker(src, "a:1"), entry -> {
      if (!entry.name().equals(l2)) {
        return entry;
      }
      byte[] c = entry.content().clone();
      c[1500] ^= 0x40;
      return TarBytes.file(l2, c);
    }));
    assertTrue(e.describe().startsWith(l2 + ": layer content has diffID"), e.describe());
  }

  @Test
  void corruptConfigInDockerArchive() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String cfg = a.id().hex() + ".json";
    ArchiveException e = failsCleanly(alter(docker(src, "a:1"), entry -> entry.name().equals(cfg)
        ? TarBytes.file(cfg, new String(entry.content()).replace("SEED", "SEEE").getBytes())
        : entry));
    assertTrue(e.describe().startsWith(cfg + ": image config content does not match its name"), e.describe());
  }

  @Test
  void missingLayerInDockerArchive() throws Exception {
    Image a = new Images(src).resolve("a:1");
    String l0 = a.config().rootfs().diffIds().get(0).hex() + "/layer.tar";
    ArchiveException e = failsCleanly(alter(docker(src, "a:1"), entry -> entry.name().equals(l0) ? null : entry));
    assertEquals(l0 + ": layer missing from the archive", e.describe());
  }

  @Test
  void oversizedJsonIsRefused() throws Exception {
    byte[] big = new byte[(4 << 20) + 10];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    ArchiveException e = failsCleanly(TarBytes.write(List.of(TarBytes.file("manifest.json", big))));
    assertTrue(e.describe().startsWith("manifest.json:"), e.describe());
  }

  @Test
  void hostileNamesWriteNothingOutsideTheStore() throws Exception {
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    byte[] good = oci(src, "a:1");
    List<TarBytes.Entry> entries = new ArrayList<>();
    entries.add(TarBytes.file("../outside/evil", "x".getBytes()));
    entries.add(TarBytes.file(outside.resolve("abs").toString(), "x".getBytes()));
    entries.add(TarBytes.symlink("blobs/link", "../../../../outside"));
    entries.add(TarBytes.file("blobs/link/evil2", "x".getBytes()));
    entries.addAll(TarBytes.read(good));
    new ArchiveLoader(dst).load(new ByteArrayInputStream(TarBytes.write(entries)));
    try (var s = Files.list(outside)) {
      assertEquals(List.of(), s.toList());
    }
    assertEquals(src.layout().resolve(ImageRef.parse("a:1")).orElseThrow().digest(),
        dst.layout().resolve(ImageRef.parse("a:1")).orElseThrow().digest());
    assertVerifies(dst);
  }

  @Test
  void invalidNameInIndexFailsBeforeAnyTag() throws Exception {
    byte[] archive = OciArchiveTest.withIndexAnnotations(oci(src, "a:1", "localhost:5000/b/c:2"),
        java.util.Map.of(dev.jbuild.store.oci.Annotations.REF_NAME, "UPPER/Case:1"));
    ArchiveException e = failsCleanly(archive);
    assertTrue(e.describe().startsWith("index.json: image sha256:"), e.describe());
  }

  @Test
  void manifestThatIsNotJsonInBlobs() throws Exception {
    Manifest m = new Images(src).resolve("a:1").manifest();
    assertTrue(OciJson.write(m).length > 0);
    ArchiveException e = failsCleanly(TarBytes.write(List.of(
        TarBytes.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes()),
        TarBytes.file("index.json", "{\"schemaVersion\":2,\"manifests\":[{}]}".getBytes()))));
    assertTrue(e.describe().startsWith("index.json:"), e.describe());
  }

  @Test
  void missingManifestUnderANestedIndexIsNamed() throws Exception {
    Image a = new Images(src).resolve("a:1");
    var index = src.blobs().put(dev.jbuild.store.oci.MediaType.OCI_INDEX, OciJson.write(dev.jbuild.store.oci.Index.of(
        List.of(a.manifestDescriptor().withAnnotations(java.util.Map.of())
            .withPlatform(dev.jbuild.store.oci.Platform.LINUX_AMD64)))));
    src.layout().tag(ImageRef.parse("multi:1"), index);
    String manifest = "blobs/sha256/" + a.manifestDigest().hex();
    ArchiveException e = failsCleanly(alter(oci(src, "multi:1"), entry -> entry.name().equals(manifest) ? null : entry));
    assertEquals(a.manifestDigest() + ": blob missing (entry of index " + index.digest() + ")", e.describe());
  }

  private static byte[] alter(byte[] archive, UnaryOperator<TarBytes.Entry> change) throws Exception {
    List<TarBytes.Entry> out = new ArrayList<>();
    for (TarBytes.Entry e : TarBytes.read(archive)) {
      TarBytes.Entry c = change.apply(e);
      if (c != null) {
        out.add(c);
      }
    }
    return TarBytes.write(out);
  }
}
