package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.registry.PlatformSelector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One image taken from an OCI image layout, a directory ({@code oci-layout://DIR[:TAG|@DIGEST]}) or a
 * tar of one ({@code oci-archive://FILE[:TAG|@DIGEST]}), as a build's base image. Only the blobs of the
 * chosen image (for an index: its linux/amd64 manifest) are copied into the store, each verified against
 * its digest and size; nothing is tagged, so the image is used by digest and the store's listing is left
 * alone (the build's shared gc lock keeps the blobs until the build's own records reference them).
 *
 * <p>Which image: {@code @sha256:...} picks the {@code index.json} entry with that digest; {@code :TAG} the
 * entry whose {@code org.opencontainers.image.ref.name} is {@code TAG} or a full name with that tag; neither
 * picks the only image of the layout (or the one tagged {@code latest}).
 */
public final class LayoutImage {
  /** The scheme of an OCI layout directory. */
  public static final String LAYOUT = "oci-layout://";
  /** The scheme of an OCI layout tar (possibly compressed). */
  public static final String ARCHIVE = "oci-archive://";

  private static final int MAX_LAYOUT_FILE = 64 << 10;

  /** A parsed {@code oci-layout://} or {@code oci-archive://} reference. */
  public record Ref(boolean archive, Path path, Optional<String> tag, Optional<Digest> digest) {
    /** Whether {@code text} uses one of the two schemes. */
    public static boolean matches(String text) {
      return text.startsWith(LAYOUT) || text.startsWith(ARCHIVE);
    }

    /**
     * Parses {@code SCHEME PATH[:TAG]} or {@code SCHEME PATH@ALG:HEX}; a relative path is resolved against
     * {@code base}. The tag starts at the first {@code :} after the path's last {@code /}.
     */
    public static Ref parse(String text, Path base) {
      boolean archive = text.startsWith(ARCHIVE);
      String rest = text.substring(archive ? ARCHIVE.length() : LAYOUT.length());
      Optional<String> tag = Optional.empty();
      Optional<Digest> digest = Optional.empty();
      int at = rest.lastIndexOf('@');
      if (at >= 0 && rest.indexOf('/', at) < 0) {
        try {
          digest = Optional.of(Digest.parse(rest.substring(at + 1)));
        } catch (RuntimeException e) {
          throw new ArchiveException(text, "invalid digest \"" + rest.substring(at + 1) + "\": " + e.getMessage(), e);
        }
        rest = rest.substring(0, at);
      } else {
        int colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
        if (colon >= 0) {
          tag = Optional.of(rest.substring(colon + 1));
          rest = rest.substring(0, colon);
          if (tag.get().isEmpty()) {
            throw new ArchiveException(text, "empty tag after \":\"");
          }
        }
      }
      if (rest.isEmpty()) {
        throw new ArchiveException(text, "no " + (archive ? "file" : "directory") + " named after " + (archive ? ARCHIVE : LAYOUT));
      }
      return new Ref(archive, base.resolve(rest).normalize(), tag, digest);
    }
  }

  private final Store store;

  public LayoutImage(Store store) {
    this.store = store;
  }

  /** Copies the referenced image into the store and reads it (linux/amd64 from a multi-platform index). */
  public Image fetch(Ref ref) throws IOException {
    return fetch(ref, Platform.LINUX_AMD64);
  }

  /** Copies the referenced image into the store and reads it ({@code platform} from a multi-platform index). */
  public Image fetch(Ref ref, Platform platform) throws IOException {
    return ref.archive() ? fromArchive(ref, platform) : fromDirectory(ref, platform);
  }

  private Image fromDirectory(Ref ref, Platform wanted) throws IOException {
    Path dir = ref.path();
    if (!Files.isDirectory(dir)) {
      throw new ArchiveException(dir.toString(), Files.exists(dir) ? "not a directory" : "no such directory");
    }
    OciArchive.parseLayoutHeader(readCapped(dir.resolve("oci-layout"), MAX_LAYOUT_FILE));
    Index index = OciArchive.parseIndex(readCapped(dir.resolve("index.json"), OciJson.MAX_BYTES), "index.json");
    Descriptor top = select(index, ref);
    copy(dir, top);
    Descriptor manifest = top;
    if (top.mediaType().isIndex()) {
      manifest = platform(top, wanted);
      copy(dir, manifest);
    }
    Manifest m = readManifest(manifest);
    copy(dir, m.config());
    for (Descriptor l : m.layers()) {
      copy(dir, l);
    }
    return new Images(store).read(manifest);
  }

  private Image fromArchive(Ref ref, Platform wanted) throws IOException {
    Path file = ref.path();
    if (!Files.isRegularFile(file)) {
      throw new ArchiveException(file.toString(), Files.exists(file) ? "not a regular file" : "no such file");
    }
    ArchiveIngest ingest;
    try (InputStream in = Files.newInputStream(file)) {
      ingest = ArchiveIngest.read(store, in);
    }
    byte[] header = ingest.json("oci-layout").orElseThrow(() -> new ArchiveException(file.toString(),
        "not an OCI archive: it has no oci-layout file"));
    OciArchive.parseLayoutHeader(header);
    byte[] indexJson = ingest.json("index.json").orElseThrow(() -> new ArchiveException(file.toString(),
        "not an OCI archive: it has no index.json"));
    Descriptor top = select(OciArchive.parseIndex(indexJson, "index.json"), ref);
    present(top);
    Descriptor manifest = top;
    if (top.mediaType().isIndex()) {
      manifest = platform(top, wanted);
      present(manifest);
    }
    Manifest m = readManifest(manifest);
    present(m.config());
    for (Descriptor l : m.layers()) {
      present(l);
    }
    return new Images(store).read(manifest);
  }

  /** The {@code index.json} entry the reference names. */
  static Descriptor select(Index index, Ref ref) {
    List<Descriptor> images = index.manifests().stream()
        .filter(d -> d.mediaType().isManifest() || d.mediaType().isIndex()).toList();
    if (images.isEmpty()) {
      throw new ArchiveException("index.json", "lists no images");
    }
    if (ref.digest().isPresent()) {
      Digest want = ref.digest().get();
      return images.stream().filter(d -> d.digest().equals(want)).findFirst()
          .orElseThrow(() -> new ArchiveException("index.json", "has no image " + want));
    }
    if (ref.tag().isPresent()) {
      String tag = ref.tag().get();
      Map<Digest, Descriptor> found = distinct(images.stream().filter(d -> named(d, tag)).toList());
      if (found.isEmpty()) {
        throw new ArchiveException("index.json", "has no image tagged \"" + tag + "\" (names: " + names(images) + ")");
      }
      if (found.size() > 1) {
        throw new ArchiveException("index.json", found.size() + " different images are tagged \"" + tag
            + "\" (names: " + names(images) + "); name one by @digest");
      }
      return found.values().iterator().next();
    }
    Map<Digest, Descriptor> all = distinct(images);
    if (all.size() == 1) {
      return all.values().iterator().next();
    }
    Map<Digest, Descriptor> latest = distinct(images.stream().filter(d -> named(d, "latest")).toList());
    if (latest.size() == 1) {
      return latest.values().iterator().next();
    }
    throw new ArchiveException("index.json", "holds " + all.size() + " images (names: " + names(images)
        + "); choose one with :TAG or @sha256:...");
  }

  private static Map<Digest, Descriptor> distinct(List<Descriptor> ds) {
    Map<Digest, Descriptor> m = new LinkedHashMap<>();
    ds.forEach(d -> m.putIfAbsent(d.digest(), d));
    return m;
  }

  /** Whether an entry is named {@code tag}: the ref name itself, or a full name ({@code repo:tag}) with that tag. */
  private static boolean named(Descriptor d, String tag) {
    Map<String, String> a = d.annotationsOrEmpty();
    for (String n : new String[] {a.get(Annotations.REF_NAME), a.get(OciArchive.CONTAINERD_NAME)}) {
      if (n == null) {
        continue;
      }
      if (n.equals(tag)) {
        return true;
      }
      int colon = n.lastIndexOf(':');
      if (colon > n.lastIndexOf('/') && n.substring(colon + 1).equals(tag) && tag.indexOf(':') < 0) {
        return true;
      }
    }
    return false;
  }

  private static String names(List<Descriptor> images) {
    List<String> n = new ArrayList<>();
    for (Descriptor d : images) {
      String r = d.annotationsOrEmpty().get(Annotations.REF_NAME);
      n.add(r == null ? "untagged " + d.digest() : r);
    }
    return String.join(", ", n);
  }

  private Descriptor platform(Descriptor index, Platform wanted) throws IOException {
    Index idx = OciJson.read(store.blobs().readAll(index.digest(), OciJson.MAX_BYTES), Index.class);
    List<Descriptor> manifests = idx.manifests().stream().filter(d -> d.mediaType().isManifest()).toList();
    return PlatformSelector.select(manifests, wanted).or(() -> manifests.stream()
            .filter(d -> d.platform() == null).findFirst())
        .orElseThrow(() -> new ArchiveException(index.digest().toString(), "image index has no " + wanted + " manifest"));
  }

  private Manifest readManifest(Descriptor d) throws IOException {
    if (!d.mediaType().isManifest()) {
      throw new ArchiveException(d.digest().toString(), "is a " + d.mediaType() + ", not an image manifest");
    }
    try {
      return OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Manifest.class);
    } catch (RuntimeException e) {
      throw new ArchiveException(d.digest().toString(), "invalid manifest: " + e.getMessage(), e);
    }
  }

  /** Copies one blob of a layout directory into the store, checked against its descriptor's digest and size. */
  private void copy(Path dir, Descriptor d) throws IOException {
    String name = "blobs/" + d.digest().algorithm().id() + "/" + d.digest().hex();
    if (store.blobs().has(d.digest())) {
      present(d);
      return;
    }
    // the digest was validated when parsed, so the path stays inside dir/blobs
    Path file = dir.resolve("blobs").resolve(d.digest().algorithm().id()).resolve(d.digest().hex());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArchiveException(name, Files.exists(file, LinkOption.NOFOLLOW_LINKS)
          ? "not a regular file in the layout" : "blob missing from the layout");
    }
    long size = Files.size(file);
    if (size != d.size()) {
      throw new ArchiveException(name, "blob is " + size + " bytes but its descriptor says " + d.size());
    }
    try (BlobWriter w = store.blobs().newWriter(); InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > d.size()) {
          throw new ArchiveException(name, "blob grew past the " + d.size() + " bytes its descriptor says");
        }
        w.stream().write(buf, 0, n);
      }
      w.commit(d.mediaType(), d.digest());
    } catch (DigestMismatchException e) {
      throw new ArchiveException(name, "blob content does not match its digest (corrupt layout): got " + e.got(), e);
    }
  }

  /** Checks an archive's blob reached the store with the size its descriptor gives. */
  private void present(Descriptor d) throws IOException {
    if (!store.blobs().has(d.digest())) {
      throw new ArchiveException(d.digest().toString(), "blob missing from the archive");
    }
    long size = store.blobs().size(d.digest());
    if (size != d.size()) {
      throw new ArchiveException(d.digest().toString(), "blob is " + size + " bytes but its descriptor says " + d.size());
    }
  }

  private static byte[] readCapped(Path file, int max) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArchiveException(file.getParent() + "", "not an OCI image layout: no " + file.getFileName() + " file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new ArchiveException(file.toString(), "larger than " + max + " bytes");
      }
      return b;
    }
  }
}
