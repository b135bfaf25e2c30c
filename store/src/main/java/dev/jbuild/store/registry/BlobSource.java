package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Opens a blob's content for an upload, once per attempt: a retried upload opens it again from the
 * start. The caller of {@link #open} closes the stream.
 */
@FunctionalInterface
public interface BlobSource {
  InputStream open() throws IOException;

  /** The content of a file; uploads of it over plain HTTP go from the file to the socket without copies. */
  static BlobSource ofFile(Path file) {
    return new FileBlobSource(file);
  }
}
