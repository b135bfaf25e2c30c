package dev.jbuild.builder.context;

import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A persistent memo of file content digests keyed by what {@code stat} says about the file (device,
 * inode, size, mtime and ctime in nanoseconds), so that checksumming an unchanged context costs
 * one {@code stat} per file instead of reading it.
 *
 * <p>The file is binary: a magic line, a version, the entry count, then per entry five longs and
 * the 32 digest bytes. A missing, truncated or otherwise unreadable file is treated as empty: the
 * memo is only an accelerator. {@link #save()} writes a temporary file and renames it over the old
 * one, keeping the entries used since {@link #load} first and at most {@link #MAX_ENTRIES}. Safe
 * for concurrent use within one process; between processes the last save wins, which only costs
 * re-reading.
 */
public final class ChecksumMemo {
  /** Upper bound on stored entries, about 3.5 MiB on disk. */
  public static final int MAX_ENTRIES = 50_000;

  private static final byte[] MAGIC = "jbuild-checksum-memo\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  /**
   * What identifies one version of a file's content without reading it. ctime is part of it
   * because it changes on every write and cannot be set back by users, unlike mtime.
   */
  public record Key(long dev, long ino, long size, long mtimeNs, long ctimeNs) {}

  private final Optional<Path> file;
  private final Map<Key, byte[]> entries = new ConcurrentHashMap<>();
  private final Set<Key> used = ConcurrentHashMap.newKeySet();

  private ChecksumMemo(Optional<Path> file) {
    this.file = file;
  }

  /** A memo that lives only in memory; {@link #save()} does nothing. */
  public static ChecksumMemo inMemory() {
    return new ChecksumMemo(Optional.empty());
  }

  /** The memo stored at {@code file}, empty if the file is missing or unreadable. */
  public static ChecksumMemo load(Path file) {
    ChecksumMemo memo = new ChecksumMemo(Optional.of(file));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      memo.entries.putAll(readEntries(new DataInputStream(in)));
    } catch (IOException | RuntimeException e) {
      // Missing or corrupt: start empty. Nothing read so far is trusted.
      memo.entries.clear();
    }
    return memo;
  }

  private static Map<Key, byte[]> readEntries(DataInputStream in) throws IOException {
    byte[] magic = new byte[MAGIC.length];
    in.readFully(magic);
    if (!java.util.Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
      throw new IOException("not a checksum memo");
    }
    int count = in.readInt();
    if (count < 0 || count > MAX_ENTRIES) {
      throw new IOException("bad entry count");
    }
    Map<Key, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Key k = new Key(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
      byte[] d = new byte[32];
      in.readFully(d);
      m.put(k, d);
    }
    if (in.read() != -1) {
      throw new IOException("trailing bytes");
    }
    return m;
  }

  /** The remembered sha256 digest for {@code key}. */
  public Optional<Digest> get(Key key) {
    byte[] d = entries.get(key);
    if (d == null) {
      return Optional.empty();
    }
    used.add(key);
    return Optional.of(Digest.sha256(d));
  }

  /** Remembers the sha256 digest of the content that {@code key} describes. */
  public void put(Key key, Digest digest) {
    if (digest.algorithm() != DigestAlgorithm.SHA256) {
      throw new IllegalArgumentException("[internal error] memo holds sha256 digests only, got " + digest);
    }
    entries.put(key, HexFormat.of().parseHex(digest.hex()));
    used.add(key);
  }

  /** The number of entries held. */
  public int size() {
    return entries.size();
  }

  /** Writes the memo back to its file (temp file, fsync, rename); nothing for an in-memory memo. */
  public void save() throws IOException {
    if (file.isEmpty()) {
      return;
    }
    Path target = file.get();
    Map<Key, byte[]> keep = new LinkedHashMap<>();
    // Entries used in this session first, then older ones while there is room.
    for (Key k : used) {
      byte[] d = entries.get(k);
      if (d != null && keep.size() < MAX_ENTRIES) {
        keep.put(k, d);
      }
    }
    for (Map.Entry<Key, byte[]> e : entries.entrySet()) {
      if (keep.size() >= MAX_ENTRIES) {
        break;
      }
      keep.putIfAbsent(e.getKey(), e.getValue());
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dev.jbuild.store.TempFiles.createFile(dir, ".memo-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream os = java.nio.channels.Channels.newOutputStream(ch);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(keep.size());
        for (Map.Entry<Key, byte[]> e : keep.entrySet()) {
          Key k = e.getKey();
          out.writeLong(k.dev());
          out.writeLong(k.ino());
          out.writeLong(k.size());
          out.writeLong(k.mtimeNs());
          out.writeLong(k.ctimeNs());
          out.write(e.getValue());
        }
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
