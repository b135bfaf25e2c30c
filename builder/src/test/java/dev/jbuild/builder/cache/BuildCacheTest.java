package dev.jbuild.builder.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.blob.FsBlobStore;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.MediaType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
  @TempDir Path tmp;

  @Test
  void keyIsAPureFunctionOfParentAndInputs() {
    CacheKey root = CacheKey.root("scratch");
    StepInputs a = StepInputs.builder().put("instruction", "RUN x").put("arg:V", "1").build();
    StepInputs same = StepInputs.builder().put("instruction", "RUN x").put("arg:V", "1").build();
    StepInputs other = StepInputs.builder().put("instruction", "RUN x").put("arg:V", "2").build();
    assertEquals(CacheKey.of(root, a), CacheKey.of(root, same));
    assertNotEquals(CacheKey.of(root, a), CacheKey.of(root, other));
    assertNotEquals(CacheKey.of(root, a), CacheKey.of(CacheKey.root("image sha256:00"), a));
    // length prefixes: moving a character between name and value changes the key
    StepInputs shifted = StepInputs.builder().put("instructionR", "UN x").put("arg:V", "1").build();
    assertNotEquals(CacheKey.of(root, a), CacheKey.of(root, shifted));
    CacheKey k = CacheKey.of(root, a);
    assertEquals(k, CacheKey.parse(k.toString()));
  }

  @Test
  void whatChangedNamesArgsEnvFilesAndInstructions() {
    StepInputs before = StepInputs.builder().put("instruction", "COPY a /a").put("arg:V", "1")
        .put("source:a", "sha256:1").put("env:X", "x").build();
    StepInputs now = StepInputs.builder().put("instruction", "COPY a /b").put("arg:V", "2")
        .put("source:a", "sha256:2").put("source:c", "sha256:3").build();
    assertEquals(List.of("build arg V changed: \"1\" -> \"2\"", "env X removed", "instruction changed: \"COPY a /a\" -> \"COPY a /b\"",
        "file a changed", "file c added"), now.whatChanged(before));
    assertEquals(List.of(), before.whatChanged(before));
  }

  @Test
  void recordsRoundTripAndNeedTheirLayerBlob() throws Exception {
    FsBlobStore blobs = new FsBlobStore(Files.createDirectories(tmp.resolve("blobs")), Files.createDirectories(tmp.resolve("tmp")));
    BuildCache cache = new BuildCache(tmp.resolve("cache"));
    Descriptor layer = blobs.put(MediaType.OCI_LAYER_GZIP, "layer".getBytes(StandardCharsets.UTF_8));
    CacheRecord r = new CacheRecord(layer, Digest.of("diff"), ContainerConfig.EMPTY.withEnv("A", "1"),
        HistoryEntry.layer(Instant.ofEpochSecond(5), "RUN x"));
    CacheKey k = CacheKey.root("k");
    assertEquals(Optional.empty(), cache.lookup(k, blobs));
    cache.store(k, r);
    assertEquals(Optional.of(r), cache.lookup(k, blobs));
    assertEquals(Set.of(layer.digest()), BuildCache.referencedBlobs(tmp.resolve("cache")));
    CacheRecord meta = new CacheRecord(null, null, ContainerConfig.EMPTY, HistoryEntry.empty(Instant.EPOCH, "CMD []"));
    cache.store(CacheKey.root("m"), meta);
    assertEquals(Optional.of(meta), cache.lookup(CacheKey.root("m"), blobs));
    Files.delete(blobs.path(layer.digest()));
    assertEquals(Optional.empty(), cache.lookup(k, blobs), "a record whose blob was pruned is a miss");
    Files.writeString(tmp.resolve("cache/records").resolve(CacheKey.root("t").digest().hex() + ".json"), "{\"tor");
    assertEquals(Optional.empty(), cache.lookup(CacheKey.root("t"), blobs), "a torn record is a miss");
  }

  @Test
  void lastInputsAreRememberedPerStep() throws Exception {
    BuildCache cache = new BuildCache(tmp.resolve("cache"));
    StepInputs in = StepInputs.builder().put("instruction", "RUN x").put("env:A", "1").build();
    assertTrue(cache.lastInputs("f|0|1").isEmpty());
    cache.rememberInputs("f|0|1", in);
    assertEquals(Optional.of(in), cache.lastInputs("f|0|1"));
    assertTrue(cache.lastInputs("f|0|2").isEmpty());
  }
}
