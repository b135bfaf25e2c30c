package dev.jbuild.store.layout;

import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.blob.BlobNotFoundException;
import dev.jbuild.store.blob.FsBlobStore;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.lock.StoreLock;
import dev.jbuild.store.oci.Annotations;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.OciLayoutHeader;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The store's OCI image layout at {@code <root>/oci}: the {@code oci-layout} file, the blobs and
 * {@code index.json}, which lists every image of the store. A tagged image is listed with the
 * annotation {@code org.opencontainers.image.ref.name} = {@link #refName(ImageRef)} (such as {@code
 * myimg:1}); an untagged one (a build without {@code -t}, or the image a tag moved away from) is
 * listed without it.
 *
 * <p>Every update reads, modifies and rewrites {@code index.json} under the {@link StoreLock}, and
 * writes it as temp file, fsync, atomic rename; readers take no lock and see either the old or the
 * new list.
 */
public final class OciLayout {
  private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]{1,64}");

  private final Path dir;
  private final Path tmp;
  private final FsBlobStore blobs;
  private final StoreLock lock;

  /** One entry of {@code index.json}: the image's name (empty when untagged) and its descriptor. */
  public record Entry(Optional<ImageRef> ref, Descriptor descriptor) {}

  /** Opens the layout of a store, creating {@code oci-layout} and an empty {@code index.json} if absent. */
  public OciLayout(StoreRoot root, FsBlobStore blobs, StoreLock lock) throws IOException {
    this.dir = root.oci();
    this.tmp = root.tmp();
    this.blobs = blobs;
    this.lock = lock;
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(indexFile())) {
      lock.locked(() -> {
        Files.createDirectories(dir);
        Files.createDirectories(tmp);
        if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
          writeAtomically(dir.resolve("oci-layout"), OciJson.write(OciLayoutHeader.V1));
        }
        if (!Files.isRegularFile(indexFile())) {
          writeAtomically(indexFile(), OciJson.write(Index.of(List.of())));
        }
        return null;
      });
    }
  }

  /**
   * The value of the {@code ref.name} annotation for a reference: docker's familiar form with the
   * tag always written and no digest ({@code myimg:1}, {@code busybox:latest}, {@code
   * localhost:5000/a/b:t}), which is what {@code skopeo inspect oci:<root>/oci:<name>} matches.
   */
  public static String refName(ImageRef ref) {
    String tag = ref.tag().orElseThrow(() -> new InvalidRefException(ref.toString(),
        "a tag is needed to name an image in the store, not only a digest"));
    return ref.familiarName() + ":" + tag;
  }

  /** The layout directory, {@code <root>/oci}. */
  public Path dir() {
    return dir;
  }

  /** The current {@code index.json}. */
  public Index index() throws IOException {
    return OciJson.read(Files.readAllBytes(indexFile()), Index.class);
  }

  /** Every image, in {@code index.json} order. */
  public List<Entry> list() throws IOException {
    return index().manifests().stream().map(d -> new Entry(nameOf(d), d)).toList();
  }

  /**
   * Names an image: {@code ref} then points at {@code manifest}. The image the name pointed at
   * before stays listed, untagged, if nothing else names it (as docker keeps a dangling image).
   */
  public void tag(ImageRef ref, Descriptor manifest) throws IOException {
    String name = refName(ref);
    Map<String, String> annotations = new HashMap<>(manifest.annotationsOrEmpty());
    annotations.put(Annotations.REF_NAME, name);
    Descriptor tagged = manifest.withAnnotations(annotations);
    update(index -> {
      List<Descriptor> ms = new ArrayList<>(index.manifests());
      int at = indexOf(ms, ref);
      if (at >= 0) {
        Descriptor old = ms.set(at, tagged);
        if (!old.digest().equals(tagged.digest()) && ms.stream().noneMatch(d -> d.digest().equals(old.digest()))) {
          ms.add(untagged(old));
        }
      } else {
        ms.add(tagged);
      }
      // once named, the image no longer needs its untagged entry
      ms.removeIf(d -> d.digest().equals(tagged.digest()) && !d.annotationsOrEmpty().containsKey(Annotations.REF_NAME));
      return index.withManifests(ms);
    });
  }

  /** Removes a name; the image stays only if another entry lists it. Returns what the name pointed at. */
  public Optional<Descriptor> untag(ImageRef ref) throws IOException {
    refName(ref);
    List<Descriptor> removed = new ArrayList<>();
    update(index -> {
      List<Descriptor> ms = new ArrayList<>(index.manifests());
      int at = indexOf(ms, ref);
      if (at >= 0) {
        removed.add(ms.remove(at));
      }
      return index.withManifests(ms);
    });
    return removed.stream().findFirst();
  }

  /** Lists an image without a name, unless it is already listed. */
  public void add(Descriptor manifest) throws IOException {
    update(index -> index.manifests().stream().anyMatch(d -> d.digest().equals(manifest.digest()))
        ? index
        : index.withManifest(untagged(manifest)));
  }

  /** Removes every entry of an image (all its names); returns the removed entries. */
  public List<Descriptor> remove(Digest manifest) throws IOException {
    List<Descriptor> removed = new ArrayList<>();
    update(index -> {
      index.manifests().stream().filter(d -> d.digest().equals(manifest)).forEach(removed::add);
      return index.without(d -> d.digest().equals(manifest));
    });
    return removed;
  }

  /** The image a reference names: by digest when it has one, else by name and tag. */
  public Optional<Descriptor> resolve(ImageRef ref) throws IOException {
    List<Descriptor> ms = index().manifests();
    if (ref.digest().isPresent()) {
      return ms.stream().filter(d -> d.digest().equals(ref.digest().get())).findFirst();
    }
    int at = indexOf(ms, ref);
    return at < 0 ? Optional.empty() : Optional.of(ms.get(at));
  }

  /**
   * The image a user means by some text, as docker resolves it: a name ({@code myimg:1}), a full
   * digest ({@code sha256:...}) or an id prefix ({@code 3f2a9c}, {@code sha256:3f2a}). An id is the
   * manifest digest or the config digest (docker's image id); a prefix matching several images
   * fails with {@link InvalidRefException}.
   */
  public Optional<Descriptor> resolve(String text) throws IOException {
    String algo = "sha256:";
    if (text.startsWith(algo)) {
      String hex = text.substring(algo.length());
      if (!HEX_PREFIX.matcher(hex).matches()) {
        throw new InvalidRefException(text, "invalid image id");
      }
      return byIdPrefix(text, hex);
    }
    InvalidRefException notARef = null;
    try {
      Optional<Descriptor> byName = resolve(ImageRef.parse(text));
      if (byName.isPresent()) {
        return byName;
      }
    } catch (InvalidRefException e) {
      notARef = e;
    }
    if (HEX_PREFIX.matcher(text).matches()) {
      return byIdPrefix(text, text);
    }
    if (notARef != null) {
      throw notARef;
    }
    return Optional.empty();
  }

  private Optional<Descriptor> byIdPrefix(String text, String hex) throws IOException {
    Set<Digest> found = new LinkedHashSet<>();
    Descriptor first = null;
    for (Descriptor d : index().manifests()) {
      boolean match = d.digest().hex().startsWith(hex);
      if (!match && d.mediaType().isManifest()) {
        match = configDigest(d).map(c -> c.hex().startsWith(hex)).orElse(false);
      }
      if (match) {
        if (found.add(d.digest()) && first == null) {
          first = d;
        }
      }
    }
    if (found.size() > 1) {
      throw new InvalidRefException(text, "image id prefix matches " + found.size() + " images");
    }
    return Optional.ofNullable(first);
  }

  private Optional<Digest> configDigest(Descriptor manifest) throws IOException {
    try {
      byte[] bytes = blobs.readAll(manifest.digest(), OciJson.MAX_BYTES);
      return Optional.of(OciJson.read(bytes, Manifest.class).config().digest());
    } catch (BlobNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Applies a change to {@code index.json} under the store lock; the change must not do I/O. */
  private void update(UnaryOperator<Index> change) throws IOException {
    lock.locked(() -> {
      Index before = index();
      Index after = change.apply(before);
      if (!after.equals(before)) {
        writeAtomically(indexFile(), OciJson.write(after));
      }
      return null;
    });
  }

  private Path indexFile() {
    return dir.resolve("index.json");
  }

  private static int indexOf(List<Descriptor> ms, ImageRef ref) {
    String name = refName(ref);
    for (int i = 0; i < ms.size(); i++) {
      String n = ms.get(i).annotationsOrEmpty().get(Annotations.REF_NAME);
      if (name.equals(n)) {
        return i;
      }
    }
    // entries written by other tools may spell the same name differently (docker.io/library/x:1)
    for (int i = 0; i < ms.size(); i++) {
      Optional<ImageRef> r = nameOf(ms.get(i));
      if (r.isPresent() && r.get().name().equals(ref.name()) && r.get().tag().equals(ref.tag())) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<ImageRef> nameOf(Descriptor d) {
    String n = d.annotationsOrEmpty().get(Annotations.REF_NAME);
    if (n == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ImageRef.parse(n));
    } catch (InvalidRefException e) {
      return Optional.empty();
    }
  }

  private static Descriptor untagged(Descriptor d) {
    Map<String, String> a = new HashMap<>(d.annotationsOrEmpty());
    a.remove(Annotations.REF_NAME);
    return d.withAnnotations(a);
  }

  /** Writes a file of the layout as temp file in {@code tmp/}, fsync, rename, fsync of the directory. */
  private void writeAtomically(Path target, byte[] content) throws IOException {
    Path temp = dev.jbuild.store.TempFiles.createFile(tmp, target.getFileName().toString() + "-", ".partial");
    try {
      Files.write(temp, content);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      // createTempFile makes 0600 files; the layout is meant to be readable by standard tools
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        d.force(true);
      }
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (NoSuchFileException e) {
        // already renamed
      }
    }
  }
}
