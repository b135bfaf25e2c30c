package dev.jbuild.store.gc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.blob.FsBlobStore;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import dev.jbuild.store.layout.OciLayout;
import dev.jbuild.store.lock.StoreLock;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciFormatException;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The store's mark-and-sweep garbage collector: marks every blob reachable from {@code index.json}
 * (index, manifests, configs, layers, nested indexes) and from extra roots the caller passes (build
 * cache records), then deletes the unmarked blobs and the temp files in {@code tmp/} older than
 * {@link #TEMP_MAX_AGE}. Runs under the {@link StoreLock}, so no tag or untag interleaves.
 *
 * <p>Blob writers do not take the lock, so a build that is still writing the blobs of an image it
 * has not yet listed could lose them; a caller that may run beside builds passes a {@code grace}
 * period, and blobs written (or re-committed, which refreshes their mtime) within it are spared.
 */
public final class GarbageCollector {
  /** Temp files older than this are left over from a crashed writer. */
  public static final Duration TEMP_MAX_AGE = Duration.ofHours(1);

  private final StoreRoot root;
  private final FsBlobStore blobs;
  private final OciLayout layout;
  private final StoreLock lock;
  private final Clock clock;

  /** What a collection removed. */
  public record Result(long bytesFreed, int blobsRemoved, int tempFilesRemoved) {}

  public GarbageCollector(StoreRoot root, FsBlobStore blobs, OciLayout layout, StoreLock lock, Clock clock) {
    this.root = root;
    this.blobs = blobs;
    this.layout = layout;
    this.lock = lock;
    this.clock = clock;
  }

  public GarbageCollector(StoreRoot root, FsBlobStore blobs, OciLayout layout, StoreLock lock) {
    this(root, blobs, layout, lock, Clock.systemUTC());
  }

  /** Collects every unreachable blob, however new. */
  public Result collect(Set<Digest> extraRoots) throws IOException {
    return collect(extraRoots, Duration.ZERO);
  }

  /** Collects unreachable blobs last written more than {@code grace} ago. */
  public Result collect(Set<Digest> extraRoots, Duration grace) throws IOException {
    return lock.locked(() -> {
      Set<Digest> live = mark(extraRoots);
      Instant now = clock.instant();
      long[] freed = {0};
      int blobsRemoved = sweepBlobs(live, now.minus(grace), freed);
      int tempsRemoved = sweepTemp(now.minus(TEMP_MAX_AGE), freed);
      return new Result(freed[0], blobsRemoved, tempsRemoved);
    });
  }

  /** Every blob digest reachable from {@code index.json} and the extra roots (stored or not). */
  public Set<Digest> mark(Set<Digest> extraRoots) throws IOException {
    Set<Digest> live = new HashSet<>();
    Deque<Descriptor> todo = new ArrayDeque<>(layout.index().manifests());
    Deque<Digest> untyped = new ArrayDeque<>(extraRoots);
    while (!todo.isEmpty() || !untyped.isEmpty()) {
      if (!todo.isEmpty()) {
        Descriptor d = todo.pop();
        if (live.add(d.digest()) && blobs.has(d.digest())) {
          todo.addAll(children(d.digest(), d.mediaType()));
        }
      } else {
        Digest d = untyped.pop();
        if (live.add(d) && blobs.has(d)) {
          todo.addAll(children(d, sniff(d)));
        }
      }
    }
    return live;
  }

  private List<Descriptor> children(Digest d, MediaType type) throws IOException {
    if (type == null || !(type.isManifest() || type.isIndex())) {
      return List.of();
    }
    // A manifest that cannot be read aborts the collection: sweeping without its children
    // could delete layers an image still needs.
    byte[] bytes = blobs.readAll(d, OciJson.MAX_BYTES);
    try {
      if (type.isIndex()) {
        return OciJson.read(bytes, Index.class).manifests();
      }
      Manifest m = OciJson.read(bytes, Manifest.class);
      return Stream.concat(Stream.of(m.config()), m.layers().stream()).toList();
    } catch (OciFormatException e) {
      throw new OciFormatException("collecting garbage: reading " + type + " " + d + ": " + e.getMessage(), e);
    }
  }

  // Extra roots come without a media type: a small JSON blob with manifests, or config and layers,
  // is walked as an index or manifest; anything else (a layer, a config) is a leaf.
  private MediaType sniff(Digest d) throws IOException {
    if (blobs.size(d) > OciJson.MAX_BYTES) {
      return null;
    }
    byte[] bytes = blobs.readAll(d, OciJson.MAX_BYTES);
    int i = 0;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    if (i == bytes.length || bytes[i] != '{') {
      return null;
    }
    try {
      JsonNode tree = OciJson.readTree(bytes);
      if (tree.path("manifests").isArray()) {
        return MediaType.OCI_INDEX;
      }
      if (tree.path("config").isObject() && tree.path("layers").isArray()) {
        return MediaType.OCI_MANIFEST;
      }
    } catch (OciFormatException e) {
      return null;
    }
    return null;
  }

  private int sweepBlobs(Set<Digest> live, Instant cutoff, long[] freed) throws IOException {
    int removed = 0;
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      Path dir = blobs.blobsDir().resolve(algorithm.id());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.toList();
      }
      boolean changed = false;
      for (Path f : files) {
        Digest digest;
        try {
          digest = new Digest(algorithm, f.getFileName().toString());
        } catch (RuntimeException e) {
          continue; // not a blob name: not ours to delete
        }
        if (live.contains(digest)) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          if (!a.isRegularFile() || a.lastModifiedTime().toInstant().isAfter(cutoff)) {
            continue;
          }
          Files.delete(f);
          freed[0] += a.size();
          removed++;
          changed = true;
        } catch (NoSuchFileException e) {
          // gone already
        }
      }
      if (changed) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
    }
    return removed;
  }

  private int sweepTemp(Instant cutoff, long[] freed) throws IOException {
    if (!Files.isDirectory(root.tmp())) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(root.tmp())) {
      files = s.toList();
    }
    int removed = 0;
    // Only plain files: scratch directories belong to whoever made them (snapshots, builds).
    for (Path f : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
          Files.delete(f);
          freed[0] += a.size();
          removed++;
        }
      } catch (NoSuchFileException e) {
        // its writer finished or gave up meanwhile
      }
    }
    return removed;
  }
}
