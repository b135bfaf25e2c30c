package dev.jbuild.builder.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheSpecTest {
  @Test
  void parsesLocalAndRegistrySpecs() {
    assertEquals(new CacheSpec.Local(Path.of("/c")), CacheSpec.parseFrom("type=local,src=/c"));
    assertEquals(new CacheSpec.Registry("r.example/a:b"), CacheSpec.parseFrom("type=registry,ref=r.example/a:b"));
    assertEquals(new CacheSpec.Registry("r.example/a:b"), CacheSpec.parseFrom("r.example/a:b"));
    CacheSpec.Export e = CacheSpec.parseTo("type=local,dest=/d,mode=max");
    assertEquals(new CacheSpec.Local(Path.of("/d")), e.to());
    assertTrue(e.max());
    assertFalse(CacheSpec.parseTo("type=registry,ref=h/x").max());
  }

  @Test
  void refusesBadSpecs() {
    assertThrows(CacheSpec.BadCacheSpecException.class, () -> CacheSpec.parseFrom("type=local"));
    assertThrows(CacheSpec.BadCacheSpecException.class, () -> CacheSpec.parseFrom("type=s3,bucket=x"));
    assertThrows(CacheSpec.BadCacheSpecException.class, () -> CacheSpec.parseTo("type=local,dest=/d,mode=all"));
    assertThrows(CacheSpec.BadCacheSpecException.class, () -> CacheSpec.parseTo("type=local,dest"));
  }

  @Test
  void cacheManifestRoundTripsSorted() {
    CacheKey k1 = CacheKey.root("b");
    CacheKey k2 = CacheKey.root("a");
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of("x"), 1);
    CacheRecord r1 = new CacheRecord(layer, Digest.of("y"), ContainerConfig.EMPTY,
        HistoryEntry.layer(Instant.ofEpochSecond(5), "RUN x"));
    CacheRecord r2 = new CacheRecord(null, null, ContainerConfig.EMPTY, HistoryEntry.empty(Instant.EPOCH, "CMD"));
    CacheManifest m = new CacheManifest(Map.of(k1.toString(), r1, k2.toString(), r2));
    byte[] bytes = OciJson.write(m);
    assertEquals(m, OciJson.read(bytes, CacheManifest.class));
    assertTrue(new String(bytes).indexOf(k1.digest().hex()) > 0);
    assertThrows(RuntimeException.class, () -> new CacheManifest(Map.of("not-a-key", r2)));
  }
}
