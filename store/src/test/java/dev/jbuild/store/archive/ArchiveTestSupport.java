package dev.jbuild.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.verify.Verifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: stores with a few random tagged images, and archives of them. */
final class ArchiveTestSupport {
  private ArchiveTestSupport() {}

  static Store store(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Store.open(StoreRoot.of(dir));
  }

  /** A store holding "a:1" (3 gzip layers, also named "a:latest") and "localhost:5000/b/c:2" (2 zstd layers). */
  static Store sourceStore(Path dir) throws IOException {
    Store s = store(dir);
    Descriptor a = RandomImages.image(s, 3, 3000, 1);
    Descriptor b = RandomImages.image(s, 2, 2000, 2, MediaType.OCI_LAYER_ZSTD);
    s.layout().tag(ImageRef.parse("a:1"), a);
    s.layout().tag(ImageRef.parse("a:latest"), a);
    s.layout().tag(ImageRef.parse("localhost:5000/b/c:2"), b);
    return s;
  }

  static List<SavedImage> saved(Store s, String... names) throws IOException {
    List<SavedImage> out = new java.util.ArrayList<>();
    for (String n : names) {
      out.add(SavedImage.resolve(s, n));
    }
    return out;
  }

  static byte[] oci(Store s, String... names) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new OciArchive(s).write(saved(s, names), out);
    return out.toByteArray();
  }

  static byte[] docker(Store s, String... names) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DockerArchive(s).write(saved(s, names), out);
    return out.toByteArray();
  }

  static void assertVerifies(Store s) throws IOException {
    Verifier.Report r = new Verifier(s).verify();
    assertTrue(r.ok(), () -> "verify: " + r.faults());
  }

  static void assertSameIndex(byte[] before, Store s) throws IOException {
    assertEquals(new String(before), Files.readString(s.root().oci().resolve("index.json")), "index.json changed");
  }
}
