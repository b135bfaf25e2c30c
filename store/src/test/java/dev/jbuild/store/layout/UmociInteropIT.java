package dev.jbuild.store.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.RequiresTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** umoci reads the store's layout too: it lists the names and finds every layer of a named image. */
@RequiresTools("umoci")
class UmociInteropIT {
  @Test
  void umociListsAndStatsImages(@TempDir Path tmp) throws Exception {
    Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
    Descriptor image = RandomImages.image(store, 2, 3000, 5);
    store.layout().tag(ImageRef.parse("myimg:1"), image);
    store.layout().tag(ImageRef.parse("localhost:5000/a/b:t"), image);
    store.layout().add(RandomImages.image(store, 1, 10, 6));
    String oci = store.root().oci().toString();
    assertEquals(Set.of("myimg:1", "localhost:5000/a/b:t"), Set.copyOf(umoci("ls", "--layout", oci).lines().toList()));
    String stat = umoci("stat", "--image", oci + ":myimg:1");
    Manifest m = OciJson.read(store.blobs().readAll(image.digest(), OciJson.MAX_BYTES), Manifest.class);
    for (Descriptor layer : m.layers()) {
      assertTrue(stat.contains(layer.digest().toString()), stat);
    }
  }

  private static String umoci(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("umoci"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "umoci timed out");
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }
}
