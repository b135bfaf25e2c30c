package dev.jbuild.store.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RequiresRoot;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
class ImageSnapshotsIT {
  @TempDir Path tmp;

  private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws Exception {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(b.length);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  @Test
  void extractsOnceReusesAndPrunes() throws Exception {
    Path tarFile = tmp.resolve("rootfs.tar");
    try (OutputStream os = Files.newOutputStream(tarFile); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      TarArchiveEntry d = new TarArchiveEntry("etc/");
      d.setMode(040755);
      tar.putArchiveEntry(d);
      tar.closeArchiveEntry();
      file(tar, "etc/hostname", "box\n", 0644);
      file(tar, "etc/secret", "s\n", 04750);
    }
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Descriptor m = new RootfsImporter(store, LayerOptions.defaults(), Instant.EPOCH).importPath(tarFile, ContainerConfig.EMPTY);
    store.layout().tag(ImageRef.parse("box:1"), m);
    Image img = new Images(store).resolve("box:1");
    ImageSnapshots snaps = new ImageSnapshots(store);
    List<Path> lowers = snaps.ensure(img);
    assertEquals(1, lowers.size());
    assertEquals("box\n", Files.readString(lowers.get(0).resolve("etc/hostname")));
    assertEquals(04750, (int) Files.getAttribute(lowers.get(0).resolve("etc/secret"), "unix:mode") & 07777);
    long stamp = Files.getLastModifiedTime(lowers.get(0)).toMillis();
    assertEquals(lowers, snaps.ensure(img), "a second ensure reuses the snapshot");
    assertEquals(stamp, Files.getLastModifiedTime(lowers.get(0)).toMillis());

    assertEquals(0, snaps.prune(Set.of()).snapshots(), "a listed image keeps its snapshots");
    new Images(store).remove("box:1");
    ImageSnapshots.Pruned p = snaps.prune(Set.of());
    assertEquals(1, p.snapshots());
    assertTrue(p.bytes() >= 6);
    assertFalse(Files.exists(lowers.get(0)));
  }

  @Test
  void aHostileLayerLeavesNoSnapshotAndNothingOutside() throws Exception {
    Path canary = tmp.resolve("canary");
    Files.writeString(canary, "untouched");
    Path tarFile = tmp.resolve("evil.tar");
    try (OutputStream os = Files.newOutputStream(tarFile); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      file(tar, "ok", "fine", 0644);
      TarArchiveEntry link = new TarArchiveEntry("up", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(tmp.toString());
      link.setMode(0120777);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      file(tar, "up/canary", "overwritten", 0644);
    }
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Descriptor m = new RootfsImporter(store, LayerOptions.defaults(), Instant.EPOCH).importPath(tarFile, ContainerConfig.EMPTY);
    store.layout().tag(ImageRef.parse("evil:1"), m);
    Image img = new Images(store).resolve("evil:1");
    ImageSnapshots snaps = new ImageSnapshots(store);
    assertThrows(JbuildException.class, () -> snaps.ensure(img));
    assertEquals("untouched", Files.readString(canary));
    assertEquals(List.of(), snaps.snapshots().list());
  }
}
