package dev.jbuild.builder.cache;

import dev.jbuild.builder.context.ChecksumMemo;
import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.digest.Digest;
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

  public BuildCache(Path cacheDir) throws IOException {
    this.records = Files.createDirectories(cacheDir.resolve("records"));
    this.steps = Files.createDirectories(cacheDir.resolve("steps"));
    this.memoFile = cacheDir.resolve("checksums");
  }

  /** The file digest memo of this cache (load once per build; save at the end). */
  public ChecksumMemo loadMemo() {
    return ChecksumMemo.load(memoFile);
  }

  /** The record for {@code key} if there is one whose layer blob is still in {@code blobs}. */
  public Optional<CacheRecord> lookup(CacheKey key, BlobStore blobs) {
    Path f = records.resolve(key.digest().hex() + ".json");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      return Optional.empty();
    }
    CacheRecord r;
    try {
      r = OciJson.read(bytes, CacheRecord.class);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (r.layer() != null && !blobs.has(r.layer().digest())) {
      return Optional.empty();
    }
    return Optional.of(r);
  }

  /** Stores the record of {@code key} (its layer blob must already be committed). */
  public void store(CacheKey key, CacheRecord record) throws IOException {
    write(records.resolve(key.digest().hex() + ".json"), OciJson.write(record));
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
          CacheRecord r = OciJson.read(Files.readAllBytes(p), CacheRecord.class);
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
