package dev.jbuild.runtime.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.testing.BusyboxRootfs;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.sys.LinuxSys;
import dev.jbuild.store.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@RequiresRoot
@ExtendWith(LeakCheck.class)
class OverlayMountIT {
  private Path tmp;

  @BeforeEach
  void setUp() throws IOException {
    tmp = BusyboxRootfs.tempDir();
  }

  @AfterEach
  void tearDown() throws IOException {
    ContainerStore.deleteTree(tmp);
  }

  private List<Path> layers(int n) throws IOException {
    List<Path> lowers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Long names, as real snapshot paths (sha256 chain ids) are, so the list overflows one page.
      Path l = Files.createDirectories(tmp.resolve("snapshots/%064x".formatted(i)));
      Files.writeString(l.resolve("layer-" + i), "x");
      Files.writeString(l.resolve("top"), Integer.toString(i));
      lowers.add(l);
    }
    return lowers;
  }

  @Test
  void mountsTwoHundredFiftyLayers() throws IOException {
    List<Path> lowers = layers(250);
    OverlayOptions opts = new OverlayOptions(lowers, tmp.resolve("upper"), tmp.resolve("work"));
    assertFalse(opts.fitsLegacyMount(), "the test must exceed mount(2)'s page");
    Path merged = tmp.resolve("merged");
    OverlayMount m = OverlayMount.mount(opts, merged);
    try {
      assertTrue(Files.exists(merged.resolve("layer-0")));
      assertTrue(Files.exists(merged.resolve("layer-249")));
      assertEquals("249", Files.readString(merged.resolve("top")), "the last lower is the top layer");
      Files.writeString(merged.resolve("new"), "n");
      Files.delete(merged.resolve("layer-7"));
      assertEquals("n", Files.readString(tmp.resolve("upper/new")), "writes land in the upper dir");
      assertTrue(Files.exists(lowers.get(7).resolve("layer-7")), "lowers are never changed");
      m.close();
      m.close();
      assertFalse(Files.exists(merged.resolve("layer-0")), "closed means unmounted");
    } finally {
      m.close();
    }
  }

  @Test
  void shortListsUseMountTwoAndKeepTheUpperASelfContainedDiff() throws Exception {
    List<Path> lowers = layers(2);
    Files.createDirectories(lowers.get(0).resolve("dir/sub"));
    Files.writeString(lowers.get(0).resolve("dir/sub/f"), "f");
    OverlayOptions opts = new OverlayOptions(lowers, tmp.resolve("upper"), tmp.resolve("work"));
    assertTrue(opts.fitsLegacyMount());
    Path merged = tmp.resolve("merged");
    try (OverlayMount m = OverlayMount.mount(opts, merged)) {
      assertEquals(merged, m.target());
      assertEquals("1", Files.readString(merged.resolve("top")));
      // With redirect_dir=off, rename(2) of a lower directory fails with EXDEV and mv copies the tree
      // up, instead of the kernel leaving a redirect xattr that points into the lowers.
      Process mv = new ProcessBuilder("mv", merged.resolve("dir").toString(), merged.resolve("renamed").toString())
          .inheritIO().start();
      assertEquals(0, mv.waitFor());
      assertEquals("f", Files.readString(tmp.resolve("upper/renamed/sub/f")));
      assertNull(LinuxSys.getXattr(tmp.resolve("upper/renamed"), "trusted.overlay.redirect"));
    }
  }
}
