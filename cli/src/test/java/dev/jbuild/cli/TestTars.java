package dev.jbuild.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small real tar files for CLI tests. */
public final class TestTars {
  private TestTars() {}

  /** A tar of regular files (path -> content), with a directory entry for each parent. */
  public static Path write(Path file, Map<String, String> files) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      java.util.Set<String> dirs = new java.util.TreeSet<>();
      for (String p : files.keySet()) {
        for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
          dirs.add(p.substring(0, i + 1));
        }
      }
      for (String d : dirs) {
        TarArchiveEntry e = new TarArchiveEntry(d);
        e.setMode(040755);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
        byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setMode(0100644);
        e.setSize(b.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
