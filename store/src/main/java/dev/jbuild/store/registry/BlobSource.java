package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a blob's content for an upload, once per attempt: a retried upload opens it again from the
 * start. The caller of {@link #open} closes the stream.
 */
@FunctionalInterface
public interface BlobSource {
  InputStream open() throws IOException;
}
