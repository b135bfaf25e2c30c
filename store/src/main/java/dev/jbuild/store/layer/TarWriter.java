package dev.jbuild.store.layer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A streaming writer of POSIX (pax) tar: a ustar header per entry, preceded by one pax extended
 * header when a value does not fit ustar (long names and link targets, ids above 2097151, sizes
 * from 8 GiB) or the entry has xattrs. The pax records are encoded here, byte-exact, because
 * binary xattr values ({@code security.capability}) must not go through a String.
 *
 * <p>Output is a pure function of the entries: the pax header is named {@code PaxHeaders.0/BASE}
 * (no pid), its fields are zero, uname and gname are empty, and the archive ends with two zero
 * blocks and no further record padding.
 */
final class TarWriter {
  static final int BLOCK = 512;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;

  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private long count;

  /** @param out receives the tar bytes in large writes; not closed by this writer */
  TarWriter(OutputStream out) {
    this.out = out;
    this.buf = new byte[256 * 1024];
  }

  /** Tar bytes produced so far (including what is still buffered). */
  long count() {
    return count + pos;
  }

  /** Writes the header(s) of an entry; a regular file's content must follow through {@link #content}. */
  void header(TarEntry e) throws IOException {
    byte[] name = e.tarName().getBytes(StandardCharsets.UTF_8);
    byte[] link = e.linkName() == null ? new byte[0] : e.linkName().getBytes(StandardCharsets.UTF_8);
    byte[] pax = paxRecords(e, name, link);
    if (pax != null) {
      byte[] base = baseName(e.name()).getBytes(StandardCharsets.UTF_8);
      byte[] paxName = concat("PaxHeaders.0/".getBytes(StandardCharsets.US_ASCII), base);
      writeHeader(paxName, 'x', 0644, 0, 0, pax.length, 0, new byte[0], 0, 0);
      writeBytes(pax, 0, pax.length);
      pad(pax.length);
    }
    writeHeader(name, e.kind().flag, e.mode(), e.uid(), e.gid(), e.size(), e.mtime(), link, e.devMajor(), e.devMinor());
  }

  /**
   * Copies exactly {@code size} bytes of content and pads to the block size. A channel, not a
   * FileInputStream: the latter mallocs a native buffer of the read size on every large read.
   */
  void content(ReadableByteChannel in, long size, String entryName) throws IOException {
    long left = size;
    while (left > 0) {
      if (pos == buf.length) {
        drain();
      }
      int n = in.read(ByteBuffer.wrap(buf, pos, (int) Math.min(buf.length - pos, left)));
      if (n < 0) {
        throw new EOFException(entryName + ": file shrank while being read (" + (size - left) + " of " + size + " bytes)");
      }
      pos += n;
      left -= n;
    }
    pad(size);
  }

  /** Ends the archive (two zero blocks) and pushes everything downstream; does not close it. */
  void finish() throws IOException {
    zeros(2 * BLOCK);
    drain();
    out.flush();
  }

  private byte[] paxRecords(TarEntry e, byte[] name, byte[] link) {
    StringBuilder ascii = new StringBuilder();
    byte[] pathRec = name.length > 100 ? record("path", name) : null;
    byte[] linkRec = link.length > 100 ? record("linkpath", link) : null;
    if (e.uid() > MAX_OCTAL_7) {
      ascii.append(recordString("uid", Long.toString(e.uid())));
    }
    if (e.gid() > MAX_OCTAL_7) {
      ascii.append(recordString("gid", Long.toString(e.gid())));
    }
    if (e.size() > MAX_OCTAL_11) {
      ascii.append(recordString("size", Long.toString(e.size())));
    }
    if (e.mtime() < 0 || e.mtime() > MAX_OCTAL_11) {
      ascii.append(recordString("mtime", Long.toString(e.mtime())));
    }
    if (pathRec == null && linkRec == null && ascii.isEmpty() && e.xattrs().isEmpty()) {
      return null;
    }
    byte[] all = new byte[0];
    if (pathRec != null) {
      all = concat(all, pathRec);
    }
    if (linkRec != null) {
      all = concat(all, linkRec);
    }
    all = concat(all, ascii.toString().getBytes(StandardCharsets.US_ASCII));
    for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
      all = concat(all, record("SCHILY.xattr." + x.getKey(), x.getValue()));
    }
    return all;
  }

  private static String recordString(String key, String value) {
    return new String(record(key, value.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
  }

  /** One pax record, {@code "LEN key=value\n"}, where LEN counts the whole record including itself. */
  static byte[] record(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int base = k.length + value.length + 3;
    int len = base + 1;
    while (len != base + Integer.toString(len).length()) {
      len = base + Integer.toString(len).length();
    }
    byte[] r = new byte[len];
    byte[] l = Integer.toString(len).getBytes(StandardCharsets.US_ASCII);
    int p = 0;
    System.arraycopy(l, 0, r, p, l.length);
    p += l.length;
    r[p++] = ' ';
    System.arraycopy(k, 0, r, p, k.length);
    p += k.length;
    r[p++] = '=';
    System.arraycopy(value, 0, r, p, value.length);
    p += value.length;
    r[p] = '\n';
    return r;
  }

  private void writeHeader(byte[] name, char type, int mode, long uid, long gid, long size, long mtime, byte[] link,
      int devMajor, int devMinor) throws IOException {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode);
    number(h, 108, 8, uid);
    number(h, 116, 8, gid);
    number(h, 124, 12, size);
    number(h, 136, 12, Math.max(0, mtime));
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    octal(h, 329, 8, devMajor);
    octal(h, 337, 8, devMinor);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    writeBytes(h, 0, BLOCK);
  }

  /** Zero-padded octal with a NUL terminator, or GNU base-256 when the value does not fit (pax has it too). */
  private static void number(byte[] h, int off, int len, long v) {
    long max = (1L << (3 * (len - 1))) - 1;
    if (v <= max) {
      octal(h, off, len, v);
      return;
    }
    h[off] = (byte) 0x80;
    for (int i = off + len - 1; i > off; i--) {
      h[i] = (byte) v;
      v >>>= 8;
    }
  }

  private static void octal(byte[] h, int off, int len, long v) {
    h[off + len - 1] = 0;
    for (int i = off + len - 2; i >= off; i--) {
      h[i] = (byte) ('0' + (v & 7));
      v >>>= 3;
    }
  }

  private void pad(long size) throws IOException {
    int rem = (int) (size % BLOCK);
    if (rem != 0) {
      zeros(BLOCK - rem);
    }
  }

  private void zeros(int n) throws IOException {
    while (n > 0) {
      if (pos == buf.length) {
        drain();
      }
      int k = Math.min(n, buf.length - pos);
      Arrays.fill(buf, pos, pos + k, (byte) 0);
      pos += k;
      n -= k;
    }
  }

  private void writeBytes(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (pos == buf.length) {
        drain();
      }
      int k = Math.min(len, buf.length - pos);
      System.arraycopy(b, off, buf, pos, k);
      pos += k;
      off += k;
      len -= k;
    }
  }

  private void drain() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      count += pos;
      pos = 0;
    }
  }

  private static String baseName(String name) {
    int slash = name.lastIndexOf('/');
    String b = slash < 0 ? name : name.substring(slash + 1);
    // keep the pax header's own ustar name within 100 bytes
    byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= 80 ? b : new String(bytes, 0, 80, StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
