package dev.jbuild.builder.cache;

import dev.jbuild.builder.context.ChecksumMemo;
import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local build cache of a store, under {@code <root>/cache/}: {@code records/<key-hex>.json} (a {@link
 * CacheRecord} per {@link CacheKey}), {@code steps/<hex>.json} (the {@link StepInputs} of the last build of each
 * step, named by buildfile, stage and step index) and {@code checksums} (the context file digest memo).
 *
 * <p>Records are written to a temp file and renamed, without fsync: the cache is an optimisation, and a record
 * lost in a crash only costs a rebuild, while a torn one is refused on read (a miss). Thread-safe.
 */
public final class BuildCache {
  private final Path records;
  private final Path steps;
  private final Path memoFile;
  /** Records imported with {@code --cache-from}, each with where its layer blob can be fetched. */
  private final Map<CacheKey, Remote> remote = new ConcurrentHashMap<>();
  private final Set<Digest> fetched = ConcurrentHashMap.newKeySet();

  private record Remote(CacheRecord record, CacheTransport from) {}

  public BuildCache(Path cacheDir) throws IOException {
    this.records = Files.createDirectories(cacheDir.resolve("records"));
    this.steps = Files.createDirectories(cacheDir.resolve("steps"));
    this.memoFile = cacheDir.resolve("checksums");
  }

  /** The file digest memo of this cache (load once per build; save at the end). */
  public ChecksumMemo loadMemo() {
    return ChecksumMemo.load(memoFile);
  }

  /**
   * Adds the records of an imported cache as remote records: a hit on one whose layer blob is not in the store
   * fetches that blob (only that one) from {@code from}. Returns how many records were added.
   */
  public int importRemote(CacheManifest records, CacheTransport from) {
    records.records().forEach((k, r) -> remote.putIfAbsent(CacheKey.parse(k), new Remote(r, from)));
    return records.records().size();
  }

  /** The layer blobs fetched from imported caches so far. */
  public Set<Digest> fetched() {
    return Set.copyOf(fetched);
  }

  /**
   * The record for {@code key} if there is one whose layer blob is still in {@code blobs}, or an imported one
   * whose layer blob could be fetched into {@code blobs} (it is then kept as a local record too).
   */
  public Optional<CacheRecord> lookup(CacheKey key, BlobStore blobs) {
    Optional<CacheRecord> local = readLocal(key);
    if (local.isPresent() && (local.get().layer() == null || blobs.has(local.get().layer().digest()))) {
      return local;
    }
    Remote r = remote.get(key);
    if (r == null) {
      return Optional.empty();
    }
    Descriptor layer = r.record().layer();
    try {
      if (layer != null && !blobs.has(layer.digest())) {
        r.from().fetch(layer, blobs);
        fetched.add(layer.digest());
      }
      store(key, r.record());
    } catch (IOException | RuntimeException e) {
      // an unreachable or corrupt cache is a miss, as BuildKit: the step runs
      return Optional.empty();
    }
    return Optional.of(r.record());
  }

  private Optional<CacheRecord> readLocal(CacheKey key) {
    Path f = records.resolve(key.digest().hex() + ".json");
    try {
      return Optional.of(CacheRecordJson.read(Files.readAllBytes(f)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Stores the record of {@code key} (its layer blob must already be committed). */
  public void store(CacheKey key, CacheRecord record) throws IOException {
    write(records.resolve(key.digest().hex() + ".json"), CacheRecordJson.write(record));
  }

  /** The inputs of the last build of the step named {@code step}, if remembered. */
  public Optional<StepInputs> lastInputs(String step) {
    try {
      byte[] b = Files.readAllBytes(steps.resolve(Digest.of(step).hex() + ".json"));
      @SuppressWarnings("unchecked")
      Map<String, String> m = OciJson.read(b, LinkedHashMap.class);
      return Optional.of(new StepInputs(m));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Remembers the inputs of this build of the step named {@code step}. */
  public void rememberInputs(String step, StepInputs inputs) throws IOException {
    write(steps.resolve(Digest.of(step).hex() + ".json"), OciJson.write(inputs.entries()));
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Thread.currentThread().threadId() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Every blob a cache record under {@code cacheDir} names: garbage-collection roots, so that {@code jbuild
   * prune} keeps what the cache would reuse. Unreadable records name nothing.
   */
  public static Set<Digest> referencedBlobs(Path cacheDir) throws IOException {
    Set<Digest> out = new HashSet<>();
    Path dir = cacheDir.resolve("records");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : ds) {
        try {
          CacheRecord r = CacheRecordJson.read(Files.readAllBytes(p));
          if (r.layer() != null) {
            out.add(r.layer().digest());
          }
        } catch (NoSuchFileException e) {
          // removed meanwhile
        } catch (RuntimeException e) {
          // a torn record is a miss, and roots nothing
        }
      }
    }
    return out;
  }
}
