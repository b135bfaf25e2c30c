package dev.jbuild.builder;

import dev.jbuild.builder.step.ImageState;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.store.layer.Whiteouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A read-only view of another image's rootfs (COPY --from, RUN --mount from=): the snapshot dir itself for a
 * one-layer image, a read-only overlay of the snapshots for more, an empty dir for none. Closing unmounts.
 */
final class SourceRootfs implements AutoCloseable {
  private final Path root;
  private final Path dir;
  private OverlayMount mount;

  private SourceRootfs(Path root, Path dir, OverlayMount mount) {
    this.root = root;
    this.dir = dir;
    this.mount = mount;
  }

  static SourceRootfs open(BuildSession s, ImageState state) throws IOException {
    List<Path> lowers = s.snapshots.lowers(state.layers(), state.diffIds());
    if (lowers.size() == 1) {
      return new SourceRootfs(lowers.get(0), null, null);
    }
    Path dir = dev.jbuild.store.TempFiles.createDirectory(s.tmp, "source-");
    try {
      dev.jbuild.builder.exec.BuildReaper.markOwner(dir);
      Path root = Files.createDirectory(dir.resolve("rootfs"));
      if (lowers.isEmpty()) {
        return new SourceRootfs(root, dir, null);
      }
      return new SourceRootfs(root, dir, OverlayMount.mount(OverlayOptions.readOnly(lowers), root));
    } catch (IOException | RuntimeException e) {
      Whiteouts.deleteTree(dir);
      throw e;
    }
  }

  Path root() {
    return root;
  }

  @Override
  public void close() throws IOException {
    if (mount != null) {
      mount.close();
      mount = null;
    }
    if (dir != null && Files.exists(dir)) {
      Whiteouts.deleteTree(dir);
    }
  }
}
