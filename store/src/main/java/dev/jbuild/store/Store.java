package dev.jbuild.store;

import dev.jbuild.store.blob.FsBlobStore;
import dev.jbuild.store.gc.GarbageCollector;
import dev.jbuild.store.layout.OciLayout;
import dev.jbuild.store.lock.GcLock;
import dev.jbuild.store.lock.StoreLock;
import java.io.IOException;

/**
 * The store facade: one object per open store root, giving its blobs, its OCI layout (the list of
 * images), its lock and its garbage collector. Holds no open files, so there is nothing to close;
 * several {@code Store} objects (in one or several processes) may share a root.
 */
public final class Store {
  private final StoreRoot root;
  private final FsBlobStore blobs;
  private final StoreLock lock;
  private final OciLayout layout;

  private Store(StoreRoot root) throws IOException {
    this.root = root.create();
    this.blobs = new FsBlobStore(root.blobs(), root.tmp());
    this.lock = new StoreLock(root.lockFile());
    this.layout = new OciLayout(root, blobs, lock);
  }

  /** Opens (creating if needed) the store at a root. */
  public static Store open(StoreRoot root) throws IOException {
    return new Store(root);
  }

  public StoreRoot root() {
    return root;
  }

  public FsBlobStore blobs() {
    return blobs;
  }

  public OciLayout layout() {
    return layout;
  }

  public StoreLock lock() {
    return lock;
  }

  /**
   * The lock between content writers (shared) and the garbage collector (exclusive); see {@link
   * GcLock}.
   */
  public GcLock gcLock() throws IOException {
    return new GcLock(root.path().resolve("gc.lock"));
  }

  /** A garbage collector for this store. */
  public GarbageCollector gc() {
    return new GarbageCollector(root, blobs, layout, lock);
  }
}
