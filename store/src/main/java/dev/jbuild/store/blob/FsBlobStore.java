package dev.jbuild.store.blob;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * A {@link BlobStore} on the filesystem: blob {@code sha256:<hex>} is the file {@code
 * <blobs>/sha256/<hex>} of an OCI image layout, and new blobs are written to a temp file in a
 * directory on the same filesystem, then fsynced and renamed into place, so a blob file that
 * exists is always complete.
 *
 * <p>Committing content the store already has discards the temp file and refreshes the existing
 * blob's mtime, which tells a concurrent garbage collector (that spares recent blobs) the blob is
 * in use again. Only sha256 blobs are stored.
 */
public final class FsBlobStore implements BlobStore {
  private final Path blobsDir;
  private final Path tmpDir;

  /**
   * @param blobsDir the layout's {@code blobs} directory (created if absent)
   * @param tmpDir where temp files go; must be on the same filesystem as {@code blobsDir}
   */
  public FsBlobStore(Path blobsDir, Path tmpDir) throws IOException {
    this.blobsDir = blobsDir;
    this.tmpDir = tmpDir;
    Files.createDirectories(blobsDir.resolve(DigestAlgorithm.SHA256.id()));
    Files.createDirectories(tmpDir);
  }

  /** The {@code blobs} directory. */
  public Path blobsDir() {
    return blobsDir;
  }

  @Override
  public boolean has(Digest digest) {
    return Files.isRegularFile(file(digest));
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    try {
      return Files.newInputStream(file(digest));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  @Override
  public Path path(Digest digest) {
    Path p = file(digest);
    if (!Files.isRegularFile(p)) {
      throw new BlobNotFoundException(digest);
    }
    return p;
  }

  @Override
  public long size(Digest digest) throws IOException {
    try {
      return Files.size(file(digest));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  @Override
  public BlobWriter newWriter() throws IOException {
    return new FsBlobWriter(dev.jbuild.store.TempFiles.createFile(tmpDir, "blob-", ".partial"));
  }

  @Override
  public Descriptor put(MediaType type, byte[] content) throws IOException {
    try (BlobWriter w = newWriter()) {
      w.stream().write(content);
      return w.commit(type);
    }
  }

  @Override
  public Descriptor put(MediaType type, InputStream in) throws IOException {
    try (BlobWriter w = newWriter()) {
      in.transferTo(w.stream());
      return w.commit(type);
    }
  }

  /** Reads a whole blob; for manifests and configs, refusing blobs larger than {@code max} bytes. */
  public byte[] readAll(Digest digest, int max) throws IOException {
    long size = size(digest);
    if (size > max) {
      throw new JbuildException(digest.toString(), "blob is " + size + " bytes, more than the " + max + " bytes expected", null);
    }
    try (InputStream in = open(digest)) {
      return in.readNBytes(max);
    }
  }

  private Path file(Digest digest) {
    return blobsDir.resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  /** Makes a rename or unlink in {@code dir} durable. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private final class FsBlobWriter implements BlobWriter {
    private final Path temp;
    private final FileChannel channel;
    private final DigestingOutputStream stream;
    private final EarlyWriteback writeback;
    private boolean done;

    FsBlobWriter(Path temp) throws IOException {
      this.temp = temp;
      this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
      this.writeback = new EarlyWriteback(Channels.newOutputStream(channel), channel);
      this.stream = DigestingOutputStream.offloading(new BufferedOutputStream(writeback, 1 << 16));
    }

    @Override
    public OutputStream stream() {
      if (done) {
        throw new IllegalStateException("[internal error] blob writer already committed or closed");
      }
      return new OutputStream() {
        // A caller closing this stream must not close the file before commit() fsyncs it.
        @Override
        public void write(int b) throws IOException {
          stream.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          stream.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          stream.flush();
        }
      };
    }

    @Override
    public long size() {
      return stream.count();
    }

    @Override
    public Descriptor commit(MediaType type) throws IOException {
      return commit(type, null);
    }

    @Override
    public Descriptor commit(MediaType type, Digest expected) throws IOException {
      if (done) {
        throw new IllegalStateException("[internal error] blob writer already committed or closed");
      }
      if (expected != null && expected.algorithm() != DigestAlgorithm.SHA256) {
        close();
        throw new JbuildException(expected.toString(), "the store keeps sha256 blobs only", null);
      }
      stream.flush();
      writeback.settle();
      channel.force(true);
      channel.close();
      Digest digest = stream.digest();
      long size = stream.count();
      if (expected != null && !expected.equals(digest)) {
        close();
        throw new DigestMismatchException(expected, digest, size);
      }
      Path target = file(digest);
      try {
        if (Files.isRegularFile(target) && touch(target)) {
          Files.delete(temp);
        } else {
          // createTempFile makes 0600 files; blobs are meant to be readable by standard tools
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
          // rename(2) is atomic; if another writer got there first it replaces identical bytes
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          fsyncDir(target.getParent());
        }
      } finally {
        done = true;
        Files.deleteIfExists(temp);
      }
      return Descriptor.of(type, digest, size);
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      stream.abandon();
      try {
        writeback.settle();
        channel.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  // False when a collector removed the blob in between: then the caller stores it again.
  private static boolean touch(Path target) throws IOException {
    try {
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
