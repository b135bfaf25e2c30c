package dev.jbuild.builder.context;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The content checksum of context paths for the build cache: what a COPY or ADD of those paths
 * would produce, and nothing else.
 *
 * <p>Each entry contributes one record: its context path, type, permission bits (with setuid,
 * setgid and sticky), uid, gid, symlink target, device number for device nodes, and the sha256 of
 * a regular file's content. Timestamps are left out on purpose: touching a file must not
 * invalidate the cache. A directory contributes its own record followed by the records of its
 * included descendants in {@link BuildContext#walk()} order; a set of paths is taken sorted and
 * without duplicates. Entries hidden by the ignore rules do not count.
 *
 * <p>File digests are remembered in a {@link ChecksumMemo} keyed by {@code stat} data. A file
 * changed within {@link #RACY_WINDOW} of hashing is not remembered, because a second write in the
 * same timestamp tick could leave its stat data unchanged (git's "racy clean" problem).
 */
public final class ContextChecksum {
  /** Files whose mtime or ctime is this close to the time of hashing are not memoised. */
  public static final Duration RACY_WINDOW = Duration.ofSeconds(2);

  /** Opens a file's content; package-private so tests can count reads. */
  @FunctionalInterface
  interface ContentOpener {
    InputStream open(Path file) throws IOException;
  }

  private final BuildContext context;
  private final ChecksumMemo memo;
  private final Clock clock;
  private final ContentOpener opener;

  /** Checksums for {@code context}, remembering file digests in {@code memo}. */
  public ContextChecksum(BuildContext context, ChecksumMemo memo) {
    this(context, memo, Clock.systemUTC(), Files::newInputStream);
  }

  ContextChecksum(BuildContext context, ChecksumMemo memo, Clock clock, ContentOpener opener) {
    this.context = Objects.requireNonNull(context, "context");
    this.memo = Objects.requireNonNull(memo, "memo");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** The checksum of one context path (a file, or a directory tree); see {@link #checksum(Collection)}. */
  public Digest checksum(String relPath) throws IOException {
    return checksum(List.of(relPath));
  }

  /**
   * The checksum of a set of context paths. A symlink named directly is followed (inside the
   * context), as COPY follows its sources; symlinks further down are recorded as links.
   * {@link NoSuchFileException} if a path does not exist or is hidden by the ignore rules (and,
   * for a directory, nothing beneath it is re-included); {@link ContextEscapeException} if it
   * leaves the context.
   */
  public Digest checksum(Collection<String> relPaths) throws IOException {
    TreeSet<String> sorted = new TreeSet<>(BuildContext.BYTE_ORDER);
    for (String p : relPaths) {
      sorted.add(BuildContext.clean(p));
    }
    MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
    for (String label : sorted) {
      addPath(md, label);
    }
    return Digest.sha256(md.digest());
  }

  private void addPath(MessageDigest md, String label) throws IOException {
    Path host = context.resolve(label, true);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(label, null, "not found in the build context");
    }
    String real = context.relativize(host);
    boolean excluded = !real.equals(".") && context.isExcluded(real);
    Map<String, Object> attrs = Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS);
    if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      if (excluded) {
        throw new NoSuchFileException(label, null, "excluded from the build context by the ignore file");
      }
      addRecord(md, label, host, attrs);
      return;
    }
    List<ContextEntry> below = context.walk(real);
    if (excluded && below.isEmpty()) {
      throw new NoSuchFileException(label, null, "excluded from the build context by the ignore file");
    }
    addRecord(md, label, host, attrs);
    String prefix = real.equals(".") ? "" : real + "/";
    for (ContextEntry e : below) {
      String suffix = e.path().substring(prefix.length());
      Path p = host.resolve(suffix);
      addRecord(md, label.equals(".") ? suffix : label + "/" + suffix, p, Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS));
    }
  }

  private void addRecord(MessageDigest md, String label, Path host, Map<String, Object> a) throws IOException {
    int mode = (Integer) a.get("mode");
    ContextEntry.Type type = typeOf(mode);
    String linkTarget = type == ContextEntry.Type.SYMLINK ? Files.readSymbolicLink(host).toString() : "";
    String content = type == ContextEntry.Type.FILE ? fileDigest(host, a).hex() : "";
    long rdev = type == ContextEntry.Type.OTHER ? (Long) a.get("rdev") : 0L;
    // NUL cannot occur in paths or link targets, so the fields cannot run into each other.
    String record = String.join("\0",
        label,
        type.name(),
        Integer.toOctalString(mode & 07777),
        String.valueOf(a.get("uid")),
        String.valueOf(a.get("gid")),
        linkTarget,
        Long.toString(rdev),
        content) + "\0\n";
    md.update(record.getBytes(StandardCharsets.UTF_8));
  }

  private static ContextEntry.Type typeOf(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> ContextEntry.Type.FILE;
      case 0040000 -> ContextEntry.Type.DIRECTORY;
      case 0120000 -> ContextEntry.Type.SYMLINK;
      default -> ContextEntry.Type.OTHER;
    };
  }

  private Digest fileDigest(Path file, Map<String, Object> a) throws IOException {
    long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
    ChecksumMemo.Key key = new ChecksumMemo.Key((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"), mtime, ctime);
    var known = memo.get(key);
    if (known.isPresent()) {
      return known.get();
    }
    long now = TimeUnit.MILLISECONDS.toNanos(clock.millis());
    MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = opener.open(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    Digest d = Digest.sha256(md.digest());
    if (Math.max(mtime, ctime) < now - RACY_WINDOW.toNanos()) {
      memo.put(key, d);
    }
    return d;
  }
}
