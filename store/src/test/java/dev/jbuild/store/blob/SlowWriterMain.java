package dev.jbuild.store.blob;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import java.nio.file.Path;
import java.util.Random;

/**
 * A separate process that writes a blob and never finishes: prints {@code writing} once a megabyte
 * is out, then keeps writing slowly until it is killed. Argument: store root.
 */
public final class SlowWriterMain {
  private SlowWriterMain() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(StoreRoot.of(Path.of(args[0])));
    Random random = new Random(1);
    byte[] chunk = new byte[1 << 20];
    random.nextBytes(chunk);
    try (BlobWriter w = store.blobs().newWriter()) {
      w.stream().write(chunk);
      w.stream().flush();
      System.out.println("writing");
      System.out.flush();
      while (true) {
        w.stream().write(chunk, 0, 1024);
        w.stream().flush();
        Thread.sleep(10);
      }
    }
  }
}
