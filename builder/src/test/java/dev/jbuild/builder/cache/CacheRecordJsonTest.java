package dev.jbuild.builder.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheRecordJsonTest {
  static final Descriptor LAYER = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of("blob"), 12);
  static final HistoryEntry HISTORY = HistoryEntry.layer(Instant.parse("2024-01-02T03:04:05Z"), "RUN make");

  @Test
  void goldenBytesAndRoundTrip() {
    CacheRecord withLayer = new CacheRecord(LAYER, Digest.of("diff"), ContainerConfig.EMPTY.withCmd(List.of("sh")), HISTORY);
    String json = new String(CacheRecordJson.write(withLayer), StandardCharsets.UTF_8);
    // the shape a data-binding mapper wrote for the record (NON_NULL, declaration order)
    assertEquals("{\"layer\":{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digest.of("blob")
        + "\",\"size\":12},\"diffId\":\"" + Digest.of("diff") + "\",\"config\":{\"Cmd\":[\"sh\"]},"
        + "\"history\":{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"RUN make\"}}", json);
    assertEquals(withLayer, CacheRecordJson.read(json.getBytes(StandardCharsets.UTF_8)));

    CacheRecord noLayer = new CacheRecord(null, null, ContainerConfig.EMPTY, HistoryEntry.empty(null, "ENV A=1"));
    String json2 = new String(CacheRecordJson.write(noLayer), StandardCharsets.UTF_8);
    assertEquals("{\"config\":{},\"history\":{\"created_by\":\"ENV A=1\",\"empty_layer\":true}}", json2);
    assertEquals(noLayer, CacheRecordJson.read(json2.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void damagedRecordsAreErrors() {
    OciFormatException e = assertThrows(OciFormatException.class, () -> CacheRecordJson.read(
        "{\"layer\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:00\",\"size\":1},\"diffId\":\"sha256:00\",\"history\":{}}"
            .getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("invalid cache record.layer: digest: "), e.getMessage());
    e = assertThrows(OciFormatException.class, () -> CacheRecordJson.read(
        "{\"config\":{\"Cmd\":\"sh\"},\"history\":{}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("invalid cache record.config.Cmd: want an array", e.getMessage());
    e = assertThrows(OciFormatException.class, () -> CacheRecordJson.read("{\"config\":{}}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("invalid cache record: "), e.getMessage());
    e = assertThrows(OciFormatException.class, () -> CacheRecordJson.read(
        ("{\"diffId\":\"" + Digest.of("x") + "\",\"history\":{}}").getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("both a layer and its diffId"), e.getMessage());
    assertThrows(OciFormatException.class, () -> CacheRecordJson.read("[]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(OciFormatException.class, () -> CacheRecordJson.read("{\"history\":{}".getBytes(StandardCharsets.UTF_8)));
  }
}
