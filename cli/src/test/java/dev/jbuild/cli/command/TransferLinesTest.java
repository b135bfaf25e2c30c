package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.registry.TransferListener.Kind;
import dev.jbuild.store.registry.TransferListener.Skip;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransferLinesTest {
  static final Descriptor LAYER = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of("layer".getBytes(StandardCharsets.UTF_8)), 12_300_000);
  static final Descriptor CONFIG = Descriptor.of(MediaType.OCI_CONFIG, Digest.of("config".getBytes(StandardCharsets.UTF_8)), 1234);

  @Test
  void plainModePrintsOneLinePerBlob() {
    StringWriter out = new StringWriter();
    TransferLines t = new TransferLines(new PrintWriter(out), false);
    t.started(LAYER, Kind.LAYER);
    t.progress(LAYER, 1000);
    t.done(LAYER, Kind.LAYER);
    t.skipped(CONFIG, Kind.CONFIG, Skip.EXISTS);
    assertEquals("Copying blob " + LAYER.digest().toString().substring(0, 19) + " done 12.3MB\n"
        + "Copying config " + CONFIG.digest().toString().substring(0, 19) + " skipped: already exists\n", out.toString());
  }

  @Test
  void terminalModeRedrawsABarAndPrintsLinesInItsPlace() {
    StringWriter out = new StringWriter();
    TransferLines t = new TransferLines(new PrintWriter(out), true);
    t.started(LAYER, Kind.LAYER);
    t.progress(LAYER, 6_150_000);
    String bar = out.toString();
    assertTrue(bar.startsWith("\r\033[K" + LAYER.digest().hex().substring(0, 8) + " [=====     ] "), bar);
    t.done(LAYER, Kind.LAYER);
    assertTrue(out.toString().substring(bar.length()).startsWith("\r\033[KCopying blob "), out::toString);
  }
}
