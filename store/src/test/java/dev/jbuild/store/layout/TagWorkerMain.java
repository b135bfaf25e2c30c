package dev.jbuild.store.layout;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RandomImages;
import java.nio.file.Path;

/**
 * A separate process that tags on a shared store: writes its own random image, then tags {@code
 * w<id>/img:<i>} for every i and churns a temporary tag in between. Prints each finished tag.
 * Arguments: store root, worker id, count.
 */
public final class TagWorkerMain {
  private TagWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(StoreRoot.of(Path.of(args[0])));
    int id = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    Descriptor image = RandomImages.image(store, 1, 1000, 100 + id);
    for (int i = 0; i < count; i++) {
      store.layout().tag(ImageRef.parse("w" + id + "/img:" + i), image);
      store.layout().tag(ImageRef.parse("w" + id + "/churn:1"), image);
      store.layout().untag(ImageRef.parse("w" + id + "/churn:1"));
      System.out.println("tagged " + i);
      System.out.flush();
    }
  }
}
