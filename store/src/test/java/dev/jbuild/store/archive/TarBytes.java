package dev.jbuild.store.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Test helper: an archive's entries in memory, to inspect them and to build altered (hostile) archives. */
final class TarBytes {
  /** One entry: its header and content (empty for directories and links). */
  record Entry(TarArchiveEntry header, byte[] content) {
    String name() {
      return header.getName();
    }
  }

  private TarBytes() {}

  static List<Entry> read(byte[] tar) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(new Entry(e, in.readAllBytes()));
      }
    }
    return out;
  }

  static Map<String, byte[]> files(byte[] tar) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (Entry e : read(tar)) {
      if (e.header().isFile()) {
        m.put(e.name(), e.content());
      }
    }
    return m;
  }

  static byte[] write(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry h = e.header();
        if (h.isFile()) {
          h.setSize(e.content().length);
        }
        out.putArchiveEntry(h);
        if (h.isFile()) {
          out.write(e.content());
        }
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static Entry file(String name, byte[] content) {
    TarArchiveEntry h = new TarArchiveEntry(name, true);
    h.setMode(0100644);
    h.setSize(content.length);
    return new Entry(h, content);
  }

  static Entry symlink(String name, String target) {
    TarArchiveEntry h = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
    h.setLinkName(target);
    return new Entry(h, new byte[0]);
  }
}
