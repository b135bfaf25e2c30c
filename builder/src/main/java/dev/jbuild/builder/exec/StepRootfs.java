package dev.jbuild.builder.exec;

import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.store.layer.Whiteouts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rootfs of one filesystem step: an overlay of the chain's snapshot dirs (plus, for RUN, a small stub
 * layer) with a fresh upper dir, mounted at {@code <dir>/rootfs}; {@code <dir>} doubles as the runc bundle.
 * The upper dir is the step's diff. {@link #close()} unmounts and deletes what is left; idempotent.
 *
 * <pre>
 * tmp/step-XXXX/  upper/ work/ rootfs/ (mount) empty/ stubs/ etc/ (DNS files) config.json
 * </pre>
 */
public final class StepRootfs implements AutoCloseable {
  private final Path dir;
  private OverlayMount mount;
  private boolean upperTaken;

  private StepRootfs(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts lowers (bottom first, may be empty) with a fresh upper under {@code tmp}; {@code stubs}, when given,
   * is filled by the caller's function before the mount and becomes the topmost lower.
   */
  public static StepRootfs mount(Path tmp, List<Path> lowers, Optional<StubLayer> stubs) throws IOException {
    Path dir = dev.jbuild.store.TempFiles.createDirectory(tmp, "step-");
    StepRootfs s = new StepRootfs(dir);
    try {
      Files.setAttribute(dir, "unix:mode", 0700);
      BuildReaper.markOwner(dir);
      List<Path> all = new ArrayList<>(lowers);
      if (stubs.isPresent()) {
        Path stubDir = Files.createDirectory(dir.resolve("stubs"));
        Files.setAttribute(stubDir, "unix:mode", 0755);
        stubs.get().fill(stubDir, lowers);
        all.add(stubDir);
      }
      if (all.isEmpty()) {
        // overlayfs wants at least one lower; an empty one stands for FROM scratch
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.setAttribute(empty, "unix:mode", 0755);
        all.add(empty);
      }
      Path upper = Files.createDirectory(dir.resolve("upper"));
      // the upper root's attributes are the merged root's: keep "/" 0755 as images expect
      Files.setAttribute(upper, "unix:mode", 0755);
      if (!lowers.isEmpty()) {
        copyRootAttributes(lowers.getLast(), upper);
      }
      s.mount = OverlayMount.mount(new OverlayOptions(all, upper, dir.resolve("work")), dir.resolve("rootfs"));
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        s.close();
      } catch (IOException | RuntimeException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  private static void copyRootAttributes(Path from, Path to) throws IOException {
    int mode = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(to, "unix:mode", mode & 07777);
    Files.setLastModifiedTime(to, Files.getLastModifiedTime(from));
  }

  /** Fills a stub lower layer before the mount, knowing the real lowers (bottom first). */
  @FunctionalInterface
  public interface StubLayer {
    void fill(Path stubDir, List<Path> lowers) throws IOException;
  }

  /** The bundle directory (config.json goes here, its rootfs is {@code rootfs}). */
  public Path dir() {
    return dir;
  }

  /** The merged tree. */
  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  public Path upper() {
    return dir.resolve("upper");
  }

  /** Unmounts the overlay (the upper dir then holds the finished diff). Idempotent. */
  public void unmount() throws IOException {
    if (mount != null) {
      mount.close();
      mount = null;
    }
  }

  /** Whether the step changed nothing. */
  public boolean upperEmpty() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(upper())) {
      return !ds.iterator().hasNext();
    }
  }

  /** Records that the upper dir was moved away (into the snapshot store), so close() leaves it alone. */
  void upperTaken() {
    upperTaken = true;
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      unmount();
    } catch (IOException e) {
      failure = e;
    }
    if (mount == null && Files.exists(dir)) {
      try {
        if (upperTaken) {
          Files.deleteIfExists(upper());
        }
        Whiteouts.deleteTree(dir);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
