package dev.jbuild.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.store.layer.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Literal tar entry assertions (umoci's style): {@code assertTarEntries(blob, entry("etc/", DIR,
 * 0755), entry(".wh.gone", REG, 0))}. The blob may be gzip, zstd or plain; it is read with
 * commons-compress, a reader independent of jbuild's own, so these tests also prove that another
 * implementation understands what jbuild writes.
 */
public final class TarEntries {
  private TarEntries() {}

  /** Entry kinds, named as tar does. */
  public enum Type {
    REG,
    DIR,
    SYMLINK,
    LINK,
    CHAR,
    BLOCK,
    FIFO
  }

  /**
   * One expected (or actual) entry; {@code uid}, {@code gid}, {@code size} of -1 and a null
   * {@code link} mean "any" in expectations.
   */
  public record Entry(String name, Type type, int mode, long uid, long gid, long size, String link, long mtime) {
    public Entry owner(long u, long g) {
      return new Entry(name, type, mode, u, g, size, link, mtime);
    }

    public Entry size(long s) {
      return new Entry(name, type, mode, uid, gid, s, link, mtime);
    }

    public Entry link(String l) {
      return new Entry(name, type, mode, uid, gid, size, l, mtime);
    }

    public Entry mtime(long m) {
      return new Entry(name, type, mode, uid, gid, size, link, m);
    }

    /** This entry seen through an expectation: fields the expectation leaves open are copied from it. */
    Entry as(Entry expected) {
      return new Entry(name, type, mode, expected.uid < 0 ? -1 : uid, expected.gid < 0 ? -1 : gid,
          expected.size < 0 ? -1 : size, expected.link == null ? null : link, expected.mtime < 0 ? -1 : mtime);
    }

    @Override
    public String toString() {
      return name + " " + type + " " + String.format("%04o", mode) + (uid < 0 ? "" : " uid=" + uid)
          + (gid < 0 ? "" : " gid=" + gid) + (size < 0 ? "" : " size=" + size) + (link == null ? "" : " -> " + link)
          + (mtime < 0 ? "" : " mtime=" + mtime);
    }
  }

  public static Entry entry(String name, Type type, int mode) {
    return new Entry(name, type, mode, -1, -1, -1, null, -1);
  }

  /** Every entry of a (possibly compressed) tar, as commons-compress reads it. */
  public static List<Entry> list(byte[] blob) {
    List<Entry> out = new ArrayList<>();
    try (InputStream plain = Compression.decompress(new ByteArrayInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Type t = e.isDirectory() ? Type.DIR
            : e.isSymbolicLink() ? Type.SYMLINK
            : e.isLink() ? Type.LINK
            : e.isCharacterDevice() ? Type.CHAR
            : e.isBlockDevice() ? Type.BLOCK
            : e.isFIFO() ? Type.FIFO
            : Type.REG;
        String link = (t == Type.SYMLINK || t == Type.LINK) ? e.getLinkName() : "";
        out.add(new Entry(e.getName(), t, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), e.getSize(), link,
            e.getModTime().toInstant().getEpochSecond()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Asserts the blob holds exactly these entries, in this order. */
  public static void assertTarEntries(byte[] blob, Entry... expected) {
    List<Entry> actual = list(blob);
    List<String> want = Arrays.stream(expected).map(Entry::toString).toList();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < actual.size(); i++) {
      got.add(i < expected.length ? actual.get(i).as(expected[i]).toString() : actual.get(i).toString());
    }
    assertEquals(String.join("\n", want), String.join("\n", got));
  }
}
