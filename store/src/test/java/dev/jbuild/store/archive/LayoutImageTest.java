package dev.jbuild.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.MediaType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing {@code oci-layout://} / {@code oci-archive://} references and choosing the image of an index. */
class LayoutImageTest {
  static final Path BASE = Path.of("/ctx");

  static Descriptor image(String seed, String... names) {
    Descriptor d = Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(seed.getBytes()), 10);
    if (names.length == 0) {
      return d;
    }
    return d.withAnnotations(Map.of(Annotations.REF_NAME, names[0]));
  }

  @Test
  void parsesPathTagAndDigest() {
    LayoutImage.Ref r = LayoutImage.Ref.parse("oci-layout:///srv/lay:v1", BASE);
    assertEquals(Path.of("/srv/lay"), r.path());
    assertEquals(Optional.of("v1"), r.tag());
    assertTrue(!r.archive() && r.digest().isEmpty());
    LayoutImage.Ref rel = LayoutImage.Ref.parse("oci-archive://../out/img.tar", BASE);
    assertEquals(Path.of("/out/img.tar"), rel.path());
    assertTrue(rel.archive() && rel.tag().isEmpty());
    Digest d = Digest.of("x".getBytes());
    LayoutImage.Ref byDigest = LayoutImage.Ref.parse("oci-layout://a:b/dir@" + d, BASE);
    assertEquals(Path.of("/ctx/a:b/dir"), byDigest.path());
    assertEquals(Optional.of(d), byDigest.digest());
    assertEquals(Optional.of("app:2"), LayoutImage.Ref.parse("oci-layout:///d:app:2", BASE).tag());
    assertThrows(ArchiveException.class, () -> LayoutImage.Ref.parse("oci-layout://", BASE));
    assertThrows(ArchiveException.class, () -> LayoutImage.Ref.parse("oci-layout:///d:", BASE));
    assertThrows(ArchiveException.class, () -> LayoutImage.Ref.parse("oci-layout:///d@sha256:zz", BASE));
  }

  @Test
  void selectsByBareTagFullNameDigestOrTheOnlyImage() {
    Descriptor a = image("a", "latest");
    Descriptor b = image("b", "registry.example/app:v2");
    Descriptor c = image("c");
    Index idx = Index.of(List.of(a, b, c));
    assertEquals(a.digest(), LayoutImage.select(idx, LayoutImage.Ref.parse("oci-layout:///d", BASE)).digest(),
        "several images: the one tagged latest");
    assertEquals(b.digest(), LayoutImage.select(idx, LayoutImage.Ref.parse("oci-layout:///d:v2", BASE)).digest());
    assertEquals(b.digest(),
        LayoutImage.select(idx, LayoutImage.Ref.parse("oci-layout:///d@" + b.digest(), BASE)).digest());
    assertEquals(c.digest(), LayoutImage.select(Index.of(List.of(c)), LayoutImage.Ref.parse("oci-layout:///d", BASE))
        .digest());
    ArchiveException none = assertThrows(ArchiveException.class,
        () -> LayoutImage.select(idx, LayoutImage.Ref.parse("oci-layout:///d:v9", BASE)));
    assertTrue(none.describe().contains("has no image tagged \"v9\""), none.describe());
    ArchiveException several = assertThrows(ArchiveException.class,
        () -> LayoutImage.select(Index.of(List.of(b, c)), LayoutImage.Ref.parse("oci-layout:///d", BASE)));
    assertTrue(several.describe().contains("holds 2 images"), several.describe());
    ArchiveException twice = assertThrows(ArchiveException.class, () -> LayoutImage.select(
        Index.of(List.of(image("x", "one:v1"), image("y", "two:v1"))), LayoutImage.Ref.parse("oci-layout:///d:v1", BASE)));
    assertTrue(twice.describe().contains("2 different images are tagged \"v1\""), twice.describe());
  }
}
