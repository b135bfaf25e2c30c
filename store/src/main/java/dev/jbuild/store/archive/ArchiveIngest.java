package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.ParallelGzipOutputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * One streaming pass over an image archive of any supported kind, putting its content into the
 * store as it goes; the format is decided afterwards from what was seen.
 *
 * <ul>
 *   <li>{@code blobs/<alg>/<hex>}: stored as is through a {@link BlobWriter}, verified against the
 *       name (OCI layouts, and docker 25+ archives, which are OCI layouts too);
 *   <li>other files that start with {@code {} or {@code [} and are at most {@link #MAX_JSON} bytes:
 *       kept in memory ({@code index.json}, {@code manifest.json}, docker configs);
 *   <li>any other file: a candidate layer (docker's {@code <id>/layer.tar}), decompressed whatever
 *       its framing while its diffID is computed, and stored gzip-compressed; a file that turns out
 *       not to be one is noted, and only matters if a manifest names it;
 *   <li>symbolic and hard links: remembered as aliases (docker links duplicate layers).
 * </ul>
 *
 * Entry names are keys of these maps and nothing else, so no name can make anything be written
 * outside the store's blob writers.
 */
final class ArchiveIngest {
  /** The largest JSON document kept from an archive, as {@link dev.jbuild.store.oci.OciJson#MAX_BYTES}. */
  static final int MAX_JSON = 4 << 20;
  /** All JSON documents of one archive together; more is not an image archive anyone writes. */
  static final long MAX_JSON_TOTAL = 64L << 20;
  private static final int MAX_LINK_HOPS = 16;
  private static final Pattern BLOB = Pattern.compile("blobs/([a-z0-9]+)/([a-f0-9]+)");
  static final MediaType OCTET_STREAM = new MediaType("application/octet-stream");

  /** A candidate layer: the gzip blob it was stored as and the digest of its uncompressed bytes. */
  record Layer(Descriptor blob, Digest diffId) {}

  private final Store store;
  private final Map<String, byte[]> json = new HashMap<>();
  private final Map<String, Layer> layers = new HashMap<>();
  private final Map<String, String> notLayers = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();
  private final Map<String, Digest> blobs = new HashMap<>();
  private final Set<String> files = new HashSet<>();
  private long jsonTotal;

  private ArchiveIngest(Store store) {
    this.store = store;
  }

  /**
   * Reads a whole archive ({@code in}: a tar, possibly gzip- or zstd-compressed; the caller closes
   * it). Fails with an {@link ArchiveException} naming the entry on a truncated or unreadable
   * archive or a blob whose content does not match its name.
   */
  static ArchiveIngest read(Store store, InputStream in) throws IOException {
    ArchiveIngest ingest = new ArchiveIngest(store);
    InputStream plain;
    try {
      plain = Compression.decompress(in);
    } catch (IOException e) {
      throw new ArchiveException("archive", "cannot read the archive: " + e.getMessage(), e);
    }
    BufferedInputStream buffered = new BufferedInputStream(plain, 1 << 16);
    checkTarHeader(buffered);
    TarArchiveInputStream tar = new TarArchiveInputStream(buffered);
    String last = null;
    while (true) {
      TarArchiveEntry e;
      try {
        e = tar.getNextEntry();
      } catch (IOException | IllegalArgumentException ex) {
        throw new ArchiveException("archive", last == null
            ? "not a tar archive (" + ex.getMessage() + ")"
            : "truncated or corrupt after entry \"" + last + "\" (" + ex.getMessage() + ")", ex);
      }
      if (e == null) {
        return ingest;
      }
      last = e.getName();
      ingest.entry(e, new EntryStream(tar, last));
    }
  }

  // commons-compress reads some garbage as an empty tar; the first header's checksum tells them apart
  private static void checkTarHeader(BufferedInputStream in) throws IOException {
    in.mark(512);
    byte[] header;
    try {
      header = in.readNBytes(512);
    } catch (IOException e) {
      throw new ArchiveException("archive", "cannot read the archive: " + e.getMessage(), e);
    }
    in.reset();
    boolean zeros = true;
    for (byte b : header) {
      zeros &= b == 0;
    }
    if (header.length == 0 || zeros) {
      return;
    }
    boolean valid;
    try {
      valid = header.length == 512 && TarUtils.verifyCheckSum(header);
    } catch (IllegalArgumentException e) {
      valid = false;
    }
    if (!valid) {
      throw new ArchiveException("archive", "not a tar archive (no valid tar header at the start)");
    }
  }

  private void entry(TarArchiveEntry e, EntryStream body) throws IOException {
    String name = normalize(e.getName());
    if (e.isDirectory()) {
      return;
    }
    if (e.isSymbolicLink()) {
      int slash = name.lastIndexOf('/');
      String dir = slash < 0 ? "" : name.substring(0, slash + 1);
      links.put(name, normalize(dir + e.getLinkName()));
      return;
    }
    if (e.isLink()) {
      links.put(name, normalize(e.getLinkName()));
      return;
    }
    if (!e.isFile()) {
      return;
    }
    files.add(name);
    Optional<Digest> blob = blobDigest(name);
    if (blob.isPresent()) {
      storeBlob(name, blob.get(), body);
      return;
    }
    String base = name.substring(name.lastIndexOf('/') + 1);
    if (e.getSize() == 0 || (base.equals("VERSION") && e.getSize() < 64)) {
      // docker's legacy <id>/VERSION files and empty files: not layers, and not worth a blob each
      notLayers.put(name, e.getSize() == 0 ? "empty file" : "not a layer");
      return;
    }
    if (e.getSize() > MAX_JSON && (name.endsWith(".json") || name.equals("oci-layout") || name.equals("repositories"))) {
      throw new ArchiveException(e.getName(), "JSON file is " + e.getSize() + " bytes, more than the "
          + (MAX_JSON >> 20) + " MiB limit");
    }
    BufferedInputStream in = new BufferedInputStream(body, 1 << 16);
    // a tar whose first file name starts with "{" would look like JSON: names say layer first
    if (!name.endsWith(".tar") && e.getSize() <= MAX_JSON && startsLikeJson(in)) {
      jsonTotal += e.getSize();
      if (jsonTotal > MAX_JSON_TOTAL) {
        throw new ArchiveException(e.getName(), "the archive's JSON files exceed " + (MAX_JSON_TOTAL >> 20) + " MiB together");
      }
      json.put(name, body.readCapped(in, MAX_JSON));
      return;
    }
    candidateLayer(name, in, body);
  }

  private void storeBlob(String name, Digest expected, EntryStream body) throws IOException {
    try (BlobWriter w = store.blobs().newWriter()) {
      body.transferTo(w.stream());
      w.commit(OCTET_STREAM, expected);
      blobs.put(name, expected);
    } catch (DigestMismatchException ex) {
      throw new ArchiveException(name, "blob content does not match its name (corrupt archive): got " + ex.got()
          + " after " + ex.bytesRead() + " bytes", ex);
    } catch (ArchiveException ex) {
      throw ex;
    } catch (dev.jbuild.store.JbuildException ex) {
      throw new ArchiveException(name, ex.getMessage(), ex);
    }
  }

  private void candidateLayer(String name, BufferedInputStream in, EntryStream body) throws IOException {
    try (BlobWriter w = store.blobs().newWriter()) {
      OutputStream gzip = Compression.GZIP.compress(w.stream(), 0, Runtime.getRuntime().availableProcessors());
      DigestingOutputStream uncompressed = new DigestingOutputStream(gzip);
      try {
        InputStream plain = Compression.decompress(in);
        plain.transferTo(uncompressed);
        uncompressed.close();
      } catch (IOException | RuntimeException ex) {
        if (gzip instanceof ParallelGzipOutputStream p) {
          p.abort();
        }
        if (body.failed()) {
          throw ex;
        }
        // not a layer (a VERSION file, a broken compressed stream): fatal only if a manifest names it
        notLayers.put(name, ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        return;
      }
      layers.put(name, new Layer(w.commit(MediaType.OCI_LAYER_GZIP), uncompressed.digest()));
    }
  }

  private static boolean startsLikeJson(BufferedInputStream in) throws IOException {
    in.mark(64);
    byte[] head = in.readNBytes(64);
    in.reset();
    for (byte b : head) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }

  /** {@code ./a/b/../c} becomes {@code a/c}: the lexical form used as key; never a filesystem path. */
  static String normalize(String name) {
    Deque<String> parts = new ArrayDeque<>();
    boolean absolute = name.startsWith("/");
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          // escapes the archive root: keep it recognisably foreign so no manifest entry matches it
          parts.addLast("..");
        } else if (parts.peekLast().equals("..")) {
          parts.addLast("..");
        } else {
          parts.removeLast();
        }
        continue;
      }
      parts.addLast(p);
    }
    return (absolute ? "/" : "") + String.join("/", parts);
  }

  static Optional<Digest> blobDigest(String name) {
    Matcher m = BLOB.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(m.group(1) + ":" + m.group(2)));
    } catch (RuntimeException e) {
      throw new ArchiveException(name, "blob name is not a valid digest: " + e.getMessage(), e);
    }
  }

  /** The name a (possibly linked) entry name finally refers to. */
  String resolve(String name) {
    String n = normalize(name);
    for (int hops = 0; links.containsKey(n); hops++) {
      if (hops >= MAX_LINK_HOPS) {
        throw new ArchiveException(name, "too many levels of links");
      }
      n = links.get(n);
    }
    return n;
  }

  /** A JSON file of the archive, by name (after links), if present. */
  Optional<byte[]> json(String name) {
    return Optional.ofNullable(json.get(resolve(name)));
  }

  Optional<Layer> layer(String name) {
    return Optional.ofNullable(layers.get(resolve(name)));
  }

  /** Why a file named as a layer could not be read as one, if it was a file at all. */
  Optional<String> notLayer(String name) {
    return Optional.ofNullable(notLayers.get(resolve(name)));
  }

  /** The digest of a {@code blobs/...} entry this archive held (stored and verified), if any. */
  Optional<Digest> blob(String name) {
    return Optional.ofNullable(blobs.get(resolve(name)));
  }

  /** Whether the archive had any {@code blobs/...} entry. */
  boolean hasBlobs() {
    return !blobs.isEmpty();
  }

  boolean hasFile(String name) {
    return files.contains(resolve(name));
  }

  /**
   * The body of the current tar entry, remembering whether the tar itself failed (a truncated
   * archive) as opposed to what is made of the bytes (a layer that does not decompress).
   */
  private static final class EntryStream extends InputStream {
    private final TarArchiveInputStream tar;
    private final String name;
    private boolean failed;

    EntryStream(TarArchiveInputStream tar, String name) {
      this.tar = tar;
      this.name = name;
    }

    boolean failed() {
      return failed;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return tar.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw new ArchiveException(name, "archive is truncated or corrupt (" + e.getMessage() + ")", e);
      }
    }

    byte[] readCapped(InputStream in, int max) throws IOException {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new ArchiveException(name, "JSON file is larger than " + (max >> 20) + " MiB");
      }
      return bytes;
    }

    @Override
    public void close() {
      // the tar stream stays open for the next entry
    }
  }
}
