package dev.jbuild.runtime.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OverlayOptionsTest {
  @Test
  void lowersAreTopFirstInTheDataString() {
    OverlayOptions o = new OverlayOptions(List.of(Path.of("/s/base"), Path.of("/s/top")), Path.of("/c/upper"), Path.of("/c/work"));
    assertEquals("lowerdir=/s/top:/s/base,upperdir=/c/upper,workdir=/c/work,index=off,redirect_dir=off,metacopy=off,xino=off",
        o.data());
    assertTrue(o.fitsLegacyMount());
  }

  @Test
  void manyLayersOverflowThePage() {
    List<Path> lowers = IntStream.range(0, 250)
        .mapToObj(i -> Path.of("/var/lib/jbuild/snapshots/" + "%064x".formatted(i))).toList();
    assertFalse(new OverlayOptions(lowers, Path.of("/u"), Path.of("/w")).fitsLegacyMount());
  }

  @Test
  void rejectsSeparatorsAndRelativePaths() {
    assertThrows(IllegalArgumentException.class, () -> OverlayOptions.readOnly(List.of(Path.of("/a,b"))));
    assertThrows(IllegalArgumentException.class, () -> OverlayOptions.readOnly(List.of(Path.of("/a:b"))));
    assertThrows(IllegalArgumentException.class, () -> OverlayOptions.readOnly(List.of(Path.of("rel"))));
    assertThrows(IllegalArgumentException.class, () -> OverlayOptions.readOnly(List.of()));
  }
}
