package dev.jbuild.store.registry;

import dev.jbuild.store.blob.BlobNotFoundException;
import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A test fake of {@link BlobStore} in a temp dir ({@code blobs/sha256/<hex>}, {@code tmp/}), so
 * registry tests do not depend on the real store, written elsewhere. Keeps the contract that
 * matters here: a writer closed without a successful commit leaves nothing behind.
 */
final class TempDirBlobStore implements BlobStore {
  private final Path root;

  TempDirBlobStore(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve("blobs/sha256"));
    Files.createDirectories(root.resolve("tmp"));
  }

  /** Number of committed blobs. */
  long count() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("blobs/sha256"))) {
      return s.count();
    }
  }

  /** Number of leftover temp files. */
  long tempFiles() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      return s.count();
    }
  }

  @Override
  public boolean has(Digest digest) {
    return Files.exists(path(digest));
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    if (!has(digest)) {
      throw new BlobNotFoundException(digest);
    }
    return Files.newInputStream(path(digest));
  }

  @Override
  public Path path(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  @Override
  public long size(Digest digest) throws IOException {
    return Files.size(path(digest));
  }

  @Override
  public BlobWriter newWriter() throws IOException {
    Path tmp = Files.createTempFile(root.resolve("tmp"), "ingest", "");
    OutputStream file = Files.newOutputStream(tmp);
    DigestingOutputStream out = new DigestingOutputStream(file);
    return new BlobWriter() {
      private boolean done;

      @Override
      public OutputStream stream() {
        return out;
      }

      @Override
      public long size() {
        return out.count();
      }

      @Override
      public Descriptor commit(MediaType type) throws IOException {
        out.close();
        Digest d = out.digest();
        Files.move(tmp, path(d), StandardCopyOption.REPLACE_EXISTING);
        done = true;
        return Descriptor.of(type, d, out.count());
      }

      @Override
      public Descriptor commit(MediaType type, Digest expected) throws IOException {
        out.close();
        Digest d = out.digest();
        if (!d.equals(expected)) {
          throw new DigestMismatchException(expected, d, out.count());
        }
        Files.move(tmp, path(d), StandardCopyOption.REPLACE_EXISTING);
        done = true;
        return Descriptor.of(type, d, out.count());
      }

      @Override
      public void close() throws IOException {
        if (!done) {
          out.close();
          Files.deleteIfExists(tmp);
          done = true;
        }
      }
    };
  }

  @Override
  public Descriptor put(MediaType type, byte[] content) throws IOException {
    return put(type, new ByteArrayInputStream(content));
  }

  @Override
  public Descriptor put(MediaType type, InputStream in) throws IOException {
    try (BlobWriter w = newWriter()) {
      in.transferTo(w.stream());
      return w.commit(type);
    }
  }
}
