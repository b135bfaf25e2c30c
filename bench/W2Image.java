import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.image.RootfsImporter;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the W2 benchmark image into a store with the store API: a busybox rootfs layer, then a
 * layer of the W2 data (many small files and one big random file), as a two-step build would.
 *
 * <pre>java -cp cli/target/jbuild.jar bench/W2Image.java STORE_ROOT ROOTFS_DIR DATA_DIR NAME:TAG</pre>
 */
public final class W2Image {
  public static void main(String[] args) throws Exception {
    Store store = Store.open(StoreRoot.of(Path.of(args[0])));
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    RootfsImporter importer = new RootfsImporter(store, LayerOptions.defaults(), created);
    try (AutoCloseable ingest = store.gcLock().shared()) {
      RootfsImporter.Layer base = importer.writeDirectory(Path.of(args[1]));
      RootfsImporter.Layer data = importer.writeDirectory(Path.of(args[2]));
      ImageConfig cfg = ImageConfig.of(Platform.LINUX_AMD64)
          .withCreated(created)
          .withConfig(ContainerConfig.EMPTY.withCmd(List.of("/bin/sh")))
          .withLayer(base.diffId(), HistoryEntry.layer(created, "busybox rootfs"))
          .withLayer(data.diffId(), HistoryEntry.layer(created, "COPY data /"));
      Descriptor m = new Images(store).write(cfg, List.of(base.blob(), data.blob()));
      store.layout().tag(ImageRef.parse(args[3]), m);
      System.out.println(m.digest());
    }
  }
}
