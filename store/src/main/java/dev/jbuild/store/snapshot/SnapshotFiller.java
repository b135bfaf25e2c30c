package dev.jbuild.store.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** Fills a fresh empty directory with a snapshot's tree (for example by applying a layer to it). */
@FunctionalInterface
public interface SnapshotFiller {
  void fill(Path emptyDir) throws IOException;
}
