package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRootTest {
  static final Path HOME = Path.of("/home/u");

  @Test
  void explicitPathWins() {
    assertEquals(Path.of("/x"), StoreRoot.resolve(Path.of("/x"), Map.of("JBUILD_ROOT", "/y"), true, HOME).path());
  }

  @Test
  void thenTheEnvironment() {
    assertEquals(Path.of("/y"), StoreRoot.resolve(null, Map.of("JBUILD_ROOT", "/y"), true, HOME).path());
  }

  @Test
  void thenVarLibForRoot() {
    assertEquals(Path.of("/var/lib/jbuild"), StoreRoot.resolve(null, Map.of("JBUILD_ROOT", ""), true, HOME).path());
  }

  @Test
  void elseTheUsersDataDirectory() {
    assertEquals(Path.of("/home/u/.local/share/jbuild"), StoreRoot.resolve(null, Map.of(), false, HOME).path());
    assertEquals(Path.of("/data/jbuild"),
        StoreRoot.resolve(null, Map.of("XDG_DATA_HOME", "/data"), false, HOME).path());
    assertEquals(Path.of("/home/u/.local/share/jbuild"),
        StoreRoot.resolve(null, Map.of("XDG_DATA_HOME", "relative"), false, HOME).path());
  }

  @Test
  void openCreatesTheLayout(@TempDir Path tmp) throws IOException {
    Store store = Store.open(StoreRoot.of(tmp.resolve("r")));
    for (String d : new String[] {"oci", "oci/blobs/sha256", "snapshots", "cache", "containers", "tmp"}) {
      assertTrue(Files.isDirectory(tmp.resolve("r").resolve(d)), d);
    }
    assertTrue(Files.isRegularFile(tmp.resolve("r/lock")));
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(tmp.resolve("r/oci/oci-layout")));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
        Files.readString(tmp.resolve("r/oci/index.json")));
    assertEquals(tmp.resolve("r"), store.root().path());
  }
}
