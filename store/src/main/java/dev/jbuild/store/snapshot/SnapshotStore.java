package dev.jbuild.store.snapshot;

import dev.jbuild.store.digest.DigestAlgorithm;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.sys.LinuxSys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The snapshots of a store: {@code <root>/snapshots/<chainid-hex>/}, each one unpacked layer
 * stack in overlayfs format, directly usable as an overlay lowerdir.
 *
 * <p>Contract: {@link #create} and {@link #commitDir} are atomic and idempotent. A snapshot
 * appears whole through one rename from {@code <root>/tmp/} (same filesystem) that never replaces
 * an existing directory; when two processes create the same id concurrently, the first rename
 * wins and the other discards its copy, and both return the same path. Removal renames the
 * directory back into {@code tmp/} before deleting it, so a half-deleted snapshot is never seen.
 * Callers serialise removal against use (mounts) themselves.
 */
public final class SnapshotStore {
  private final Path snapshots;
  private final Path tmp;

  /** @param storeRoot the store root ({@code $JBUILD_ROOT}); {@code snapshots/} and {@code tmp/} are created */
  public SnapshotStore(Path storeRoot) throws IOException {
    this.snapshots = storeRoot.resolve("snapshots");
    this.tmp = storeRoot.resolve("tmp");
    Files.createDirectories(snapshots);
    Files.createDirectories(tmp);
  }

  public boolean has(ChainId id) {
    return Files.isDirectory(path(id), LinkOption.NOFOLLOW_LINKS);
  }

  /** Where the snapshot is (or would be). */
  public Path path(ChainId id) {
    return snapshots.resolve(id.hex());
  }

  /** The snapshot's directory if it exists. */
  public Optional<Path> find(ChainId id) {
    return has(id) ? Optional.of(path(id)) : Optional.empty();
  }

  /**
   * Returns the snapshot, creating it if missing: {@code filler} fills a fresh directory under
   * {@code tmp/}, which is then renamed into place. If the filler fails, its directory is deleted
   * and the failure propagates.
   */
  public Path create(ChainId id, SnapshotFiller filler) throws IOException {
    Path existing = path(id);
    if (has(id)) {
      return existing;
    }
    Path work = dev.jbuild.store.TempFiles.createDirectory(tmp, "snapshot-" + id.digest().shortHex() + "-");
    boolean done = false;
    try {
      // createTempDirectory makes it 0700; a lowerdir's root mode shows as the container's "/"
      Files.setAttribute(work, "unix:mode", 0755);
      filler.fill(work);
      Path p = commitDir(id, work);
      done = true;
      return p;
    } finally {
      if (!done) {
        discard(work);
      }
    }
  }

  /**
   * Moves an already filled directory (an overlay upper dir after a build step) into place as the
   * snapshot {@code id}; it must be on the store's filesystem. If the snapshot exists already,
   * {@code prepared} is deleted instead. Returns the snapshot path either way.
   */
  public Path commitDir(ChainId id, Path prepared) throws IOException {
    Path target = path(id);
    if (LinuxSys.renameNoReplace(prepared, target)) {
      return target;
    }
    discard(prepared);
    return target;
  }

  /** Deletes the snapshot if present; returns whether it was. */
  public boolean remove(ChainId id) throws IOException {
    if (!has(id)) {
      return false;
    }
    Path graveyard = tmp.resolve("removing-" + id.hex() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.move(path(id), graveyard, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    Whiteouts.deleteTree(graveyard);
    return true;
  }

  /** Every snapshot present, in no particular order. */
  public List<ChainId> list() throws IOException {
    List<ChainId> ids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshots)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.length() == DigestAlgorithm.SHA256.hexLength() && name.matches("[0-9a-f]+")
            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          ids.add(ChainId.parse(DigestAlgorithm.SHA256.prefix() + name));
        }
      }
    }
    return ids;
  }

  private static void discard(Path dir) {
    try {
      Whiteouts.deleteTree(dir);
    } catch (IOException e) {
      // leftovers in tmp/ are swept by gc; the original outcome matters more
    }
  }
}
