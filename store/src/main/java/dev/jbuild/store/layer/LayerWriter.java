package dev.jbuild.store.layer;

import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.digest.HandoffOutputStream;
import dev.jbuild.store.sys.LinuxSys;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a directory in overlayfs format (an overlay upper dir, or any plain directory) as an OCI
 * layer tar, in one pass: files are read once, the tar is hashed (the diffID) on its way into the
 * compressor, and the compressed bytes go to the caller's sink (whose owner, a blob writer,
 * computes the compressed digest).
 *
 * <p>The tar is deterministic: entries sorted by path bytes (a directory before its children; the
 * opaque marker right after its directory, as docker writes it), numeric ids with empty
 * uname/gname, full mode bits, symlinks 0777, mtimes in whole seconds clamped to the source date
 * epoch, no atime/ctime, and a file reachable by several names written once with hard links to
 * it. Overlay whiteouts become {@code .wh.NAME}, opaque directories get {@code .wh..wh..opq}, and
 * overlay's private xattrs are dropped. The directory itself is not an entry. Sockets are skipped,
 * as tar does.
 *
 * <pre>{@code
 * LayerWritten w = LayerWriter.write(upperDir, blobWriter.stream(), LayerOptions.defaults());
 * }</pre>
 */
public final class LayerWriter {
  private static final String STAT = "unix:mode,uid,gid,rdev,ino,dev,nlink,size,lastModifiedTime";
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFSOCK = 0140000;

  private LayerWriter() {}

  /**
   * Writes {@code dir} as a layer into {@code compressedSink}, which is flushed but not closed.
   * The work runs as a pipeline: this thread walks and reads, a second one hashes the tar and feeds
   * the compressor (whose own threads deflate), a third writes the sink. So the sink is written
   * from another thread, one at a time and with happens-before edges, and every byte has reached
   * it when this method returns. On failure the sink holds a partial stream: discard it.
   *
   * @throws LayerFormatException when a file changes size while it is read or a name cannot be stored
   */
  public static LayerWritten write(Path dir, OutputStream compressedSink, LayerOptions opts) throws IOException {
    return write(dir, compressedSink, opts, name -> false);
  }

  /**
   * Writes {@code dir} as a layer like {@link #write(Path, OutputStream, LayerOptions)}, leaving out
   * every entry whose tar name (relative, no leading {@code /}, e.g. {@code etc/hosts}) {@code exclude}
   * accepts, and everything below an excluded directory. {@code jbuild commit} uses it to drop the
   * mount-point stubs the OCI runtime leaves in a container's upper dir.
   */
  public static LayerWritten write(Path dir, OutputStream compressedSink, LayerOptions opts,
      java.util.function.Predicate<String> exclude) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("not a directory: " + dir);
    }
    OutputStream keepOpen = new FilterOutputStream(compressedSink) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
    // the sink (a blob writer: hashing and file writes) gets its own thread too
    HandoffOutputStream sinkHandoff = new HandoffOutputStream(keepOpen, "jbuild-layer-sink");
    OutputStream compressor = opts.compression().compress(sinkHandoff, opts.level(), opts.effectiveThreads());
    DigestingOutputStream tarDigest = new DigestingOutputStream(compressor);
    // walking and reading files here, hashing and compressing on the other side: both cores busy
    HandoffOutputStream handoff = new HandoffOutputStream(tarDigest, "jbuild-layer-digest");
    boolean ok = false;
    try {
      TarWriter tar = new TarWriter(handoff);
      long clamp = opts.sourceDateEpoch().map(i -> i.getEpochSecond()).orElse(Long.MAX_VALUE);
      Walk walk = new Walk(tar, clamp, exclude);
      walk.directory(dir, "");
      tar.finish();
      handoff.close();
      ok = true;
      return new LayerWritten(tarDigest.digest(), tarDigest.count(), walk.entries);
    } finally {
      if (!ok) {
        handoff.abort();
        sinkHandoff.abort();
        if (compressor instanceof ParallelGzipOutputStream g) {
          g.abort();
        } else {
          try {
            compressor.close();
          } catch (IOException | RuntimeException suppressed) {
            // the original failure is what matters; the sink is discarded by its owner
          }
        }
      }
    }
  }

  /** A stat result, as much of it as a tar header needs. */
  private record Stat(int mode, long uid, long gid, long rdev, long ino, long dev, int nlink, long size, long mtime) {
    static Stat of(Path p) throws IOException {
      Map<String, Object> a = Files.readAttributes(p, STAT, LinkOption.NOFOLLOW_LINKS);
      return new Stat((Integer) a.get("mode"), ((Integer) a.get("uid")) & 0xffffffffL,
          ((Integer) a.get("gid")) & 0xffffffffL, (Long) a.get("rdev"), (Long) a.get("ino"), (Long) a.get("dev"),
          (Integer) a.get("nlink"), (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
    }

    int type() {
      return mode & S_IFMT;
    }
  }

  /** A directory child with the name it will have in the tar, which decides its place in the order. */
  private record Child(Path path, String tarName, byte[] sortKey, Stat stat, boolean whiteout) {}

  private record Inode(long dev, long ino) {}

  private static final class Walk {
    private final TarWriter tar;
    private final long clamp;
    private final java.util.function.Predicate<String> exclude;
    private final Map<Inode, String> linked = new HashMap<>();
    long entries;

    Walk(TarWriter tar, long clamp, java.util.function.Predicate<String> exclude) {
      this.tar = tar;
      this.clamp = clamp;
      this.exclude = exclude;
    }

    void directory(Path dir, String rel) throws IOException {
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          Stat st = Stat.of(p);
          if (st.type() == S_IFSOCK) {
            continue;
          }
          String name = p.getFileName().toString();
          boolean whiteout = Whiteouts.isWhiteoutDevice(st.mode(), st.rdev());
          String tarName = whiteout ? Whiteouts.PREFIX + name : name;
          byte[] key = (st.type() == S_IFDIR ? tarName + "/" : tarName).getBytes(StandardCharsets.UTF_8);
          children.add(new Child(p, tarName, key, st, whiteout));
        }
      }
      children.sort((a, b) -> Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
      for (Child c : children) {
        String name = rel.isEmpty() ? c.tarName() : rel + "/" + c.tarName();
        if (!exclude.test(name)) {
          emit(c, name);
        }
      }
    }

    private void emit(Child c, String name) throws IOException {
      Stat st = c.stat();
      long mtime = Math.min(st.mtime(), clamp);
      int perm = st.mode() & 07777;
      if (c.whiteout()) {
        add(new TarEntry(name, TarEntry.Kind.FILE, 0, st.uid(), st.gid(), 0, mtime, null, 0, 0, null));
        return;
      }
      Map<String, byte[]> xattrs = new TreeMap<>();
      boolean opaque = false;
      for (String x : LinuxSys.listXattrs(c.path())) {
        if (x.equals(Whiteouts.OPAQUE_XATTR) || x.equals(Whiteouts.USER_OPAQUE_XATTR)) {
          opaque |= Arrays.equals(LinuxSys.getXattr(c.path(), x), new byte[] {'y'});
        } else if (!Whiteouts.isOverlayPrivate(x)) {
          byte[] v = LinuxSys.getXattr(c.path(), x);
          if (v != null) {
            xattrs.put(x, v);
          }
        }
      }
      if (st.type() == S_IFDIR) {
        add(new TarEntry(name, TarEntry.Kind.DIR, perm, st.uid(), st.gid(), 0, mtime, null, 0, 0, xattrs));
        if (opaque) {
          add(new TarEntry(name + "/" + Whiteouts.OPAQUE_MARKER, TarEntry.Kind.FILE, 0, st.uid(), st.gid(), 0, mtime,
              null, 0, 0, null));
        }
        directory(c.path(), name);
        return;
      }
      if (st.nlink() > 1) {
        Inode key = new Inode(st.dev(), st.ino());
        String first = linked.putIfAbsent(key, name);
        if (first != null) {
          // the inode's xattrs travel with its first name
          add(new TarEntry(name, TarEntry.Kind.HARDLINK, perm, st.uid(), st.gid(), 0, mtime, first, 0, 0, null));
          return;
        }
      }
      switch (st.type()) {
        case S_IFREG -> {
          add(new TarEntry(name, TarEntry.Kind.FILE, perm, st.uid(), st.gid(), st.size(), mtime, null, 0, 0, xattrs));
          try (FileChannel in = FileChannel.open(c.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            tar.content(in, st.size(), name);
            if (in.read(ByteBuffer.allocate(1)) > 0) {
              throw new LayerFormatException(name, "file grew while being read");
            }
          } catch (java.io.EOFException e) {
            throw new LayerFormatException(name, "file shrank while being read", e);
          }
        }
        case S_IFLNK -> {
          String target = Files.readSymbolicLink(c.path()).toString();
          // a symlink's own mode is meaningless on Linux; 0777 is what lstat reports and tar expects
          add(new TarEntry(name, TarEntry.Kind.SYMLINK, 0777, st.uid(), st.gid(), 0, mtime, target, 0, 0, xattrs));
        }
        case LinuxSys.S_IFCHR, LinuxSys.S_IFBLK -> {
          TarEntry.Kind kind = st.type() == LinuxSys.S_IFCHR ? TarEntry.Kind.CHAR : TarEntry.Kind.BLOCK;
          add(new TarEntry(name, kind, perm, st.uid(), st.gid(), 0, mtime, null, LinuxSys.major(st.rdev()),
              LinuxSys.minor(st.rdev()), xattrs));
        }
        case LinuxSys.S_IFIFO ->
            add(new TarEntry(name, TarEntry.Kind.FIFO, perm, st.uid(), st.gid(), 0, mtime, null, 0, 0, xattrs));
        default -> throw new LayerFormatException(name, "unsupported file type " + Integer.toOctalString(st.type()));
      }
    }

    private void add(TarEntry e) throws IOException {
      tar.header(e);
      entries++;
    }
  }
}
