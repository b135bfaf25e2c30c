package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.digest.VerifyingInputStream;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.OciLayoutHeader;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Images as an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}),
 * in a tar ({@code oci-archive}) or a directory ({@code oci-dir}), as skopeo's {@code
 * oci-archive:FILE:NAME} and {@code oci:DIR:NAME} read and write them.
 *
 * <p>Saving copies blobs byte for byte (each verified against its digest on the way), so manifest
 * digests are preserved; {@code index.json} lists each saved image with the annotation {@code
 * org.opencontainers.image.ref.name} = {@code name:tag}. The tar is deterministic: entries sorted,
 * mtime 0, owner 0:0, modes 0755/0644.
 *
 * <p>Loading names images from the same annotation. Some tools write a bare tag there ({@code
 * latest}, as the image spec's examples and containerd do): then the repository comes from
 * containerd's {@code io.containerd.image.name} annotation if present, else the image is loaded
 * untagged and a note says so.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image-layout.md</a>
 */
public final class OciArchive {
  /** containerd's (and docker 25+'s) annotation holding an image's full name in {@code index.json}. */
  public static final String CONTAINERD_NAME = "io.containerd.image.name";

  private static final Pattern BARE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final int MAX_LAYOUT_FILE = 64 << 10;

  private final Store store;

  public OciArchive(Store store) {
    this.store = store;
  }

  /** Writes images as an OCI layout tar to {@code out} (left open). */
  public void write(List<SavedImage> images, OutputStream out) throws IOException {
    Closure closure = closure(images);
    try (TarOut tar = new TarOut(out)) {
      tar.directory("blobs");
      tar.directory("blobs/sha256");
      for (Descriptor d : closure.blobs().values()) {
        try (InputStream in = verified(d)) {
          tar.file("blobs/sha256/" + d.digest().hex(), d.size(), in);
        }
      }
      tar.file("index.json", OciJson.write(index(images)));
      tar.file("oci-layout", OciJson.write(OciLayoutHeader.V1));
    }
  }

  /** Writes images as an OCI layout directory; {@code dir} must be absent or empty. */
  public void writeDirectory(List<SavedImage> images, Path dir) throws IOException {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new ArchiveException(dir.toString(), "exists and is not a directory");
      }
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new ArchiveException(dir.toString(), "directory is not empty");
        }
      }
    }
    Closure closure = closure(images);
    Path blobs = dir.resolve("blobs").resolve("sha256");
    Files.createDirectories(blobs);
    for (Descriptor d : closure.blobs().values()) {
      try (InputStream in = verified(d)) {
        Files.copy(in, blobs.resolve(d.digest().hex()));
      }
    }
    Files.write(dir.resolve("oci-layout"), OciJson.write(OciLayoutHeader.V1));
    Files.write(dir.resolve("index.json"), OciJson.write(index(images)));
  }

  /**
   * Loads an OCI layout directory: every blob reachable from its {@code index.json} is copied into
   * the store, verified against its digest; images are tagged only once all are complete.
   */
  public LoadResult readDirectory(Path dir) throws IOException {
    Index index = parseIndex(readCapped(dir.resolve("index.json"), OciJson.MAX_BYTES), "index.json");
    parseLayoutHeader(readCapped(dir.resolve("oci-layout"), MAX_LAYOUT_FILE));
    for (Descriptor d : index.manifests()) {
      copyFromDirectory(dir, d, 0);
    }
    return ArchiveLoader.apply(store, ArchiveFormat.OCI_DIR, plan(store, index));
  }

  private void copyFromDirectory(Path dir, Descriptor d, int depth) throws IOException {
    if (depth > 8) {
      throw new ArchiveException(d.digest().toString(), "image indexes nest too deeply");
    }
    if (!store.blobs().has(d.digest())) {
      // the digest was validated when parsed, so this path stays inside dir/blobs
      Path file = dir.resolve("blobs").resolve(d.digest().algorithm().id()).resolve(d.digest().hex());
      if (!Files.isRegularFile(file)) {
        throw new ArchiveException(d.digest().toString(), "blob missing from the layout");
      }
      try (BlobWriter w = store.blobs().newWriter(); InputStream in = Files.newInputStream(file)) {
        in.transferTo(w.stream());
        w.commit(d.mediaType(), d.digest());
      } catch (DigestMismatchException e) {
        throw new ArchiveException("blobs/" + d.digest().algorithm().id() + "/" + d.digest().hex(),
            "blob content does not match its name (corrupt layout): got " + e.got(), e);
      }
    }
    if (d.mediaType().isManifest()) {
      Manifest m = OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Manifest.class);
      copyFromDirectory(dir, m.config(), depth);
      for (Descriptor l : m.layers()) {
        copyFromDirectory(dir, l, depth);
      }
    } else if (d.mediaType().isIndex()) {
      for (Descriptor c : OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Index.class).manifests()) {
        copyFromDirectory(dir, c, depth + 1);
      }
    }
  }

  /** The images an ingested archive's {@code index.json} lists, checked complete, with their names. */
  static List<ArchiveLoader.Planned> plan(Store store, ArchiveIngest ingest) throws IOException {
    byte[] header = ingest.json("oci-layout").orElseThrow(() -> new ArchiveException("oci-layout", "missing from the archive"));
    parseLayoutHeader(header);
    byte[] index = ingest.json("index.json").orElseThrow(() -> new ArchiveException("index.json", "missing from the archive"));
    return plan(store, parseIndex(index, "index.json"));
  }

  static List<ArchiveLoader.Planned> plan(Store store, Index index) throws IOException {
    Closure closure = new Closure(store);
    Map<Digest, ArchiveLoader.Planned> byDigest = new LinkedHashMap<>();
    for (Descriptor d : index.manifests()) {
      if (!d.mediaType().isManifest() && !d.mediaType().isIndex()) {
        throw new ArchiveException(d.digest().toString(), "index.json lists a " + d.mediaType() + ", not an image");
      }
      closure.add(d);
      Naming naming = naming(d);
      Descriptor bare = stripNames(d);
      ArchiveLoader.Planned prev = byDigest.get(d.digest());
      List<ImageRef> names = new ArrayList<>(prev == null ? List.of() : prev.names());
      naming.ref().filter(r -> !names.contains(r)).ifPresent(names::add);
      List<String> notes = new ArrayList<>(prev == null ? List.of() : prev.notes());
      naming.note().ifPresent(notes::add);
      byDigest.put(d.digest(), new ArchiveLoader.Planned(bare, imageId(store, d), names, notes));
    }
    if (byDigest.isEmpty()) {
      throw new ArchiveException("index.json", "lists no images");
    }
    return List.copyOf(byDigest.values());
  }

  private record Naming(Optional<ImageRef> ref, Optional<String> note) {}

  private static Naming naming(Descriptor d) {
    Map<String, String> a = d.annotationsOrEmpty();
    String refName = a.get(Annotations.REF_NAME);
    String full = a.get(CONTAINERD_NAME);
    try {
      if (refName != null && (refName.contains(":") || refName.contains("/"))) {
        return new Naming(Optional.of(tagged(ImageRef.parse(refName), refName)), Optional.empty());
      }
      if (refName != null && BARE_TAG.matcher(refName).matches()) {
        if (full != null) {
          return new Naming(Optional.of(ImageRef.parse(full).withTag(refName)), Optional.empty());
        }
        return new Naming(Optional.empty(), Optional.of("image " + d.digest() + " is named only \"" + refName
            + "\" (a tag without a repository) in index.json: loaded untagged"));
      }
      if (refName == null && full != null) {
        return new Naming(Optional.of(tagged(ImageRef.parse(full), full)), Optional.empty());
      }
    } catch (InvalidRefException e) {
      throw new ArchiveException("index.json", "image " + d.digest() + " has an invalid name: " + e.describe(), e);
    }
    if (refName != null) {
      throw new ArchiveException("index.json", "image " + d.digest() + " has an invalid name \"" + refName + "\"");
    }
    return new Naming(Optional.empty(), Optional.empty());
  }

  private static ImageRef tagged(ImageRef ref, String text) {
    if (ref.tag().isEmpty()) {
      throw new InvalidRefException(text, "a name in index.json needs a tag");
    }
    return ref.withTag(ref.tag().get());
  }

  private static Descriptor stripNames(Descriptor d) {
    Map<String, String> a = new HashMap<>(d.annotationsOrEmpty());
    a.remove(Annotations.REF_NAME);
    a.remove(CONTAINERD_NAME);
    return d.withAnnotations(a);
  }

  private static Digest imageId(Store store, Descriptor d) throws IOException {
    if (!d.mediaType().isManifest()) {
      return d.digest();
    }
    return OciJson.read(store.blobs().readAll(d.digest(), OciJson.MAX_BYTES), Manifest.class).config().digest();
  }

  static Index parseIndex(byte[] bytes, String place) {
    try {
      return OciJson.read(bytes, Index.class);
    } catch (RuntimeException e) {
      throw new ArchiveException(place, e.getMessage(), e);
    }
  }

  static void parseLayoutHeader(byte[] bytes) {
    try {
      new OciLayoutHeader(OciJson.readTree(bytes).path("imageLayoutVersion").asText(null));
    } catch (RuntimeException e) {
      throw new ArchiveException("oci-layout", "not an OCI image layout: " + e.getMessage(), e);
    }
  }

  private static byte[] readCapped(Path file, int max) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ArchiveException(file.toString(), "missing: not an OCI image layout");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new ArchiveException(file.toString(), "larger than " + max + " bytes");
      }
      return b;
    }
  }

  private Closure closure(List<SavedImage> images) throws IOException {
    Closure c = new Closure(store);
    for (SavedImage i : images) {
      c.add(i.descriptor());
    }
    return c;
  }

  private InputStream verified(Descriptor d) throws IOException {
    return new VerifyingInputStream(store.blobs().open(d.digest()), d.digest(), d.size());
  }

  /** The archive's {@code index.json}: one entry per saved name (an unnamed image once). */
  static Index index(List<SavedImage> images) {
    List<Descriptor> entries = new ArrayList<>();
    for (SavedImage i : images) {
      Descriptor d = i.refName()
          .map(n -> {
            Map<String, String> a = new HashMap<>(i.descriptor().annotationsOrEmpty());
            a.put(Annotations.REF_NAME, n);
            return i.descriptor().withAnnotations(a);
          })
          .orElse(i.descriptor());
      if (!entries.contains(d)) {
        entries.add(d);
      }
    }
    return Index.of(entries);
  }
}
