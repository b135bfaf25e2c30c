package dev.jbuild.store.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streaming reader of ustar, pax and the GNU long-name extensions, decoding pax records
 * byte-exact ({@code SCHILY.xattr.*} values stay binary; {@code LIBARCHIVE.xattr.*} is
 * base64-decoded). It trusts nothing: header checksums are verified, extended headers are capped
 * at {@link #MAX_EXTENDED}, and kinds jbuild cannot apply (sparse, multi-volume) are refused.
 * Names are returned as found; cleaning them is the applier's job.
 */
final class TarReader {
  /** Upper bound of one pax or GNU long-name header; xattr values are at most 64 KiB on Linux. */
  static final int MAX_EXTENDED = 1 << 20;

  private final InputStream in;
  private final byte[] header = new byte[TarWriter.BLOCK];
  private long remaining;
  private long padding;
  private boolean done;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive (a zero block or end of stream). */
  TarEntry next() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    if (done) {
      return null;
    }
    Map<String, byte[]> pax = new HashMap<>();
    Map<String, byte[]> xattrs = new TreeMap<>();
    String gnuName = null;
    String gnuLink = null;
    while (true) {
      int n = in.readNBytes(header, 0, TarWriter.BLOCK);
      if (n == 0 || (n == TarWriter.BLOCK && isZero(header))) {
        done = true;
        if (!pax.isEmpty() || gnuName != null || gnuLink != null) {
          throw new LayerFormatException(null, "archive ends after an extended header");
        }
        return null;
      }
      if (n < TarWriter.BLOCK) {
        throw new LayerFormatException(null, "truncated tar header");
      }
      String rawName = string(header, 0, 100);
      verifyChecksum(rawName);
      char type = (char) (header[156] & 0xff);
      long size = number(header, 124, 12, rawName);
      switch (type) {
        case 'x', 'g' -> {
          byte[] data = extended(size, rawName);
          if (type == 'x') {
            parsePax(data, pax, xattrs, rawName);
          }
          continue;
        }
        case 'L' -> {
          gnuName = cString(extended(size, rawName));
          continue;
        }
        case 'K' -> {
          gnuLink = cString(extended(size, rawName));
          continue;
        }
        default -> {
          // an ordinary entry: handled below
        }
      }
      String name = gnuName != null ? gnuName : rawName;
      if (gnuName == null && isUstar() && header[345] != 0) {
        name = string(header, 345, 155) + "/" + rawName;
      }
      String link = gnuLink != null ? gnuLink : string(header, 157, 100);
      long uid = number(header, 108, 8, name);
      long gid = number(header, 116, 8, name);
      long mtime = number(header, 136, 12, name);
      int mode = (int) (number(header, 100, 8, name) & 07777);
      if (pax.containsKey("path")) {
        name = utf8(pax.get("path"));
      }
      if (pax.containsKey("linkpath")) {
        link = utf8(pax.get("linkpath"));
      }
      uid = paxNumber(pax, "uid", uid, name);
      gid = paxNumber(pax, "gid", gid, name);
      size = paxNumber(pax, "size", size, name);
      mtime = paxMtime(pax, mtime, name);
      TarEntry.Kind kind = switch (type) {
        case '0', '\0', '7' -> name.endsWith("/") && type == '\0' ? TarEntry.Kind.DIR : TarEntry.Kind.FILE;
        case '1' -> TarEntry.Kind.HARDLINK;
        case '2' -> TarEntry.Kind.SYMLINK;
        case '3' -> TarEntry.Kind.CHAR;
        case '4' -> TarEntry.Kind.BLOCK;
        case '5' -> TarEntry.Kind.DIR;
        case '6' -> TarEntry.Kind.FIFO;
        default -> throw new LayerFormatException(name, "unsupported tar entry type '" + printable(type) + "'");
      };
      int major = 0;
      int minor = 0;
      if (kind == TarEntry.Kind.CHAR || kind == TarEntry.Kind.BLOCK) {
        major = (int) number(header, 329, 8, name);
        minor = (int) number(header, 337, 8, name);
      }
      while (name.length() > 1 && name.endsWith("/")) {
        name = name.substring(0, name.length() - 1);
      }
      remaining = size;
      padding = (TarWriter.BLOCK - size % TarWriter.BLOCK) % TarWriter.BLOCK;
      boolean hasData = kind == TarEntry.Kind.FILE;
      boolean isLink = kind == TarEntry.Kind.SYMLINK || kind == TarEntry.Kind.HARDLINK;
      return new TarEntry(name, kind, mode, uid, gid, hasData ? size : 0, mtime, isLink ? link : null, major, minor,
          xattrs);
    }
  }

  /** The current entry's content; valid until the next call to {@link #next()}. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("tar entry content is truncated");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long k = in.skip(n);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new LayerFormatException(null, "truncated tar archive");
        }
        k = 1;
      }
      n -= k;
    }
  }

  private byte[] extended(long size, String name) throws IOException {
    if (size > MAX_EXTENDED) {
      throw new LayerFormatException(name, "extended header of " + size + " bytes exceeds the " + MAX_EXTENDED + " byte cap");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new LayerFormatException(name, "truncated extended header");
    }
    skip((TarWriter.BLOCK - size % TarWriter.BLOCK) % TarWriter.BLOCK);
    return data;
  }

  private static void parsePax(byte[] d, Map<String, byte[]> pax, Map<String, byte[]> xattrs, String where) {
    int p = 0;
    while (p < d.length) {
      int sp = p;
      long len = 0;
      while (sp < d.length && d[sp] >= '0' && d[sp] <= '9' && sp - p < 8) {
        len = len * 10 + (d[sp] - '0');
        sp++;
      }
      if (sp >= d.length || d[sp] != ' ' || len <= sp - p + 1 || p + len > d.length || d[(int) (p + len - 1)] != '\n') {
        throw new LayerFormatException(where, "malformed pax record at offset " + p);
      }
      int end = (int) (p + len - 1);
      int eq = sp + 1;
      while (eq < end && d[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new LayerFormatException(where, "malformed pax record at offset " + p + ": no '='");
      }
      String key = new String(d, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(d, eq + 1, end);
      if (key.startsWith("SCHILY.xattr.")) {
        xattrs.put(key.substring(13), value);
      } else if (key.startsWith("LIBARCHIVE.xattr.")) {
        xattrs.put(java.net.URLDecoder.decode(key.substring(17), StandardCharsets.UTF_8),
            Base64.getDecoder().decode(new String(value, StandardCharsets.US_ASCII).strip()));
      } else if (key.startsWith("GNU.sparse.")) {
        throw new LayerFormatException(where, "sparse files are not supported");
      } else if (value.length == 0) {
        pax.remove(key);
      } else {
        pax.put(key, value);
      }
      p += (int) len;
    }
  }

  private static long paxNumber(Map<String, byte[]> pax, String key, long dflt, String name) {
    byte[] v = pax.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(new String(v, StandardCharsets.US_ASCII));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new LayerFormatException(name, "invalid pax " + key + " \"" + new String(v, StandardCharsets.US_ASCII) + "\"");
    }
  }

  private static long paxMtime(Map<String, byte[]> pax, long dflt, String name) {
    byte[] v = pax.get("mtime");
    if (v == null) {
      return dflt;
    }
    String s = new String(v, StandardCharsets.US_ASCII);
    try {
      return new java.math.BigDecimal(s).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new LayerFormatException(name, "invalid pax mtime \"" + s + "\"");
    }
  }

  private void verifyChecksum(String name) {
    long stored = number(header, 148, 8, name);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < TarWriter.BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw new LayerFormatException(name.isEmpty() ? null : name, "tar header checksum mismatch (not a tar archive?)");
    }
  }

  private boolean isUstar() {
    return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r'
        && header[262] == 0;
  }

  private static long number(byte[] h, int off, int len, String name) {
    if ((h[off] & 0x80) != 0) {
      if ((h[off] & 0xff) != 0x80) {
        throw new LayerFormatException(name, "negative or oversized base-256 number in tar header");
      }
      long v = 0;
      for (int i = off + 1; i < off + len; i++) {
        if ((v >>> 55) != 0) {
          throw new LayerFormatException(name, "oversized base-256 number in tar header");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    long v = 0;
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      if (h[i] < '0' || h[i] > '7') {
        throw new LayerFormatException(name.isEmpty() ? null : name, "invalid octal number in tar header");
      }
      v = (v << 3) | (h[i] - '0');
    }
    return v;
  }

  private static String string(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] d) {
    int end = 0;
    while (end < d.length && d[end] != 0) {
      end++;
    }
    return new String(d, 0, end, StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] v) {
    return new String(v, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }
}
