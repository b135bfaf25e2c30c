package dev.jbuild.store.layer;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tar entry's header as jbuild reads and writes it: a clean relative name (no leading
 * {@code /} or {@code ./}, no trailing {@code /}), the kind, the full mode bits (07777), numeric
 * ids, size, mtime in seconds, link target, device numbers and xattrs (binary values).
 */
record TarEntry(
    String name,
    Kind kind,
    int mode,
    long uid,
    long gid,
    long size,
    long mtime,
    String linkName,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {

  /** The entry kinds of a layer tar, with their ustar type flags. */
  enum Kind {
    FILE('0'),
    HARDLINK('1'),
    SYMLINK('2'),
    CHAR('3'),
    BLOCK('4'),
    DIR('5'),
    FIFO('6');

    final char flag;

    Kind(char flag) {
      this.flag = flag;
    }
  }

  TarEntry {
    if (name == null || kind == null) {
      throw new IllegalArgumentException("tar entry needs a name and a kind");
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("tar entry " + name + ": mode " + Integer.toOctalString(mode) + " has type bits");
    }
    if (uid < 0 || gid < 0 || size < 0) {
      throw new IllegalArgumentException("tar entry " + name + ": negative uid, gid or size");
    }
    if ((kind == Kind.SYMLINK || kind == Kind.HARDLINK) == (linkName == null)) {
      throw new IllegalArgumentException("tar entry " + name + ": a link target is needed exactly for links");
    }
    if (kind != Kind.FILE && size != 0) {
      throw new IllegalArgumentException("tar entry " + name + ": only regular files have content");
    }
    xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(xattrs));
  }

  /** The name as it appears in the tar: directories end with {@code /}. */
  String tarName() {
    return kind == Kind.DIR ? name + "/" : name;
  }
}
