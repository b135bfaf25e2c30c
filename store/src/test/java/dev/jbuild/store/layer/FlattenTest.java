package dev.jbuild.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.store.testing.FsFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LayerApplier.Mode#FLATTEN}: several layers merged into one plain tree, as export and squash need. */
class FlattenTest {
  @TempDir Path root;

  void apply(byte[] layer) throws IOException {
    LayerApplier.apply(new ByteArrayInputStream(layer), root,
        LayerApplier.Options.defaults().withMode(LayerApplier.Mode.FLATTEN).withOwners(false));
  }

  List<String> tree() throws IOException {
    return FsFixture.describe(root, false, x -> false).stream()
        .map(l -> l.split(" ")[0] + " " + l.split(" ")[1] + " " + l.split(" ")[2]).toList();
  }

  @Test
  void whiteoutsDeleteAndOpaqueMarkersHideEarlierLayersOnly() throws IOException {
    apply(HostileLayerTest.tar().dir("etc").file("etc/a", "a").file("etc/b", "b").dir("var").file("var/old", "o")
        .dir("var/sub").file("var/sub/x", "x").file("top", "t").bytes());
    apply(HostileLayerTest.tar().file(".wh.top", "").file("etc/.wh.a", "").dir("var").file("var/new", "n")
        .file("var/.wh..wh..opq", "").bytes());
    assertEquals(List.of("etc dir 0755", "etc/b file 0644", "var dir 0755", "var/new file 0644"), tree());
  }

  @Test
  void rootOpaqueMarkerKeepsThisLayersDirectoriesAndTheirModes() throws IOException {
    apply(HostileLayerTest.tar().dir("old").file("old/f", "f").bytes());
    HostileLayerTest.Tar t = HostileLayerTest.tar();
    t.w.header(new TarEntry("keep", TarEntry.Kind.DIR, 0700, 0, 0, 0, 0, null, 0, 0, null));
    apply(t.file("keep/f", "k").file(".wh..wh..opq", "").bytes());
    assertEquals(List.of("keep dir 0700", "keep/f file 0644"), tree());
  }
}
