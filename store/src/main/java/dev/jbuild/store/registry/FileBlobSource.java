package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A blob to upload that is a file: {@link RegistryClient} sends it with {@code sendfile(2)} over plain HTTP. */
record FileBlobSource(Path file) implements BlobSource {
  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(file);
  }
}
