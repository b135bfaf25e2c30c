package dev.jbuild.store.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar being written with the entry attributes every archive jbuild saves uses, so two saves of the
 * same images give the same bytes: mtime 0, uid/gid 0 without user or group names, mode 0755 for
 * directories and 0644 for files, PAX headers for long names and big sizes. The caller adds entries
 * in sorted order. Closing finishes the tar but leaves the underlying stream open.
 */
final class TarOut implements Closeable {
  private final TarArchiveOutputStream tar;

  TarOut(OutputStream out) {
    // the tar must not close the caller's stream (stdout, or a file the caller fsyncs)
    this.tar = new TarArchiveOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    });
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  void directory(String name) throws IOException {
    TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", 040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  void file(String name, byte[] content) throws IOException {
    TarArchiveEntry e = entry(name, 0100644);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** A file of {@code size} bytes read from {@code in}, which must hold exactly that many. */
  void file(String name, long size, InputStream in) throws IOException {
    TarArchiveEntry e = entry(name, 0100644);
    e.setSize(size);
    tar.putArchiveEntry(e);
    long copied = in.transferTo(tar);
    if (copied != size) {
      throw new ArchiveException(name, "content changed while saving: expected " + size + " bytes, read " + copied);
    }
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(mode);
    e.setModTime(0);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    return e;
  }

  @Override
  public void close() throws IOException {
    tar.finish();
    tar.flush();
  }
}
