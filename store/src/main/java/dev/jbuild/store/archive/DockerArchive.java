package dev.jbuild.store.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.ref.InvalidRefException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Images in the archive format of {@code docker save} / {@code docker load} (and podman's {@code
 * docker-archive}): {@code manifest.json} ({@code [{"Config":"<id>.json","RepoTags":["name:tag"],
 * "Layers":["<diffid>/layer.tar",...]}]}), each config as {@code <id>.json} and each layer
 * uncompressed as {@code <diffid>/layer.tar}, plus the legacy {@code repositories} file.
 *
 * <p>Saving writes each config byte for byte, so image ids are preserved; layers are decompressed
 * to a temp file under the store's {@code tmp/} (the tar header needs the size first), checked
 * against their diffID and deleted once written.
 *
 * <p>Loading reads both the legacy layout and docker 25+'s, whose {@code manifest.json} points at
 * {@code blobs/sha256/<hex>} (possibly compressed). Every layer's diffID must equal the config's
 * {@code rootfs.diff_ids}; the config is stored unchanged (so the image id stays) under a new OCI
 * manifest whose layers are gzip blobs (recompressed from the archive's tars) or, for a layout that
 * has them as blobs already, those blobs unchanged.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">docker image spec v1.2</a>
 */
public final class DockerArchive {
  private static final Pattern HEX_JSON = Pattern.compile("([a-f0-9]{64})\\.json");

  private final Store store;

  public DockerArchive(Store store) {
    this.store = store;
  }

  @JsonPropertyOrder({"Config", "RepoTags", "Layers"})
  private record ManifestEntry(
      @JsonProperty("Config") String config,
      @JsonProperty("RepoTags") List<String> repoTags,
      @JsonProperty("Layers") List<String> layers) {}

  private record Saved(Image image, byte[] config, List<String> repoTags) {}

  /** Writes images as a docker archive to {@code out} (left open). */
  public void write(List<SavedImage> images, OutputStream out) throws IOException {
    Images all = new Images(store);
    Map<Digest, Saved> byId = new LinkedHashMap<>();
    for (SavedImage s : images) {
      Image img = all.read(s.descriptor());
      List<Digest> diffIds = img.config().rootfs().diffIds();
      if (diffIds.size() != img.layers().size()) {
        throw new ArchiveException(img.manifestDigest().toString(), "manifest has " + img.layers().size()
            + " layers but its config lists " + diffIds.size() + " diff_ids");
      }
      Saved prev = byId.get(img.id());
      List<String> tags = new ArrayList<>(prev == null ? List.of() : prev.repoTags());
      s.refName().filter(n -> !tags.contains(n)).ifPresent(tags::add);
      byte[] config = prev != null ? prev.config() : store.blobs().readAll(img.id(), OciJson.MAX_BYTES);
      byId.put(img.id(), new Saved(img, config, tags));
    }
    // every entry of the archive by name, so they can be written in sorted order
    TreeMap<String, EntryWriter> entries = new TreeMap<>();
    List<ManifestEntry> manifest = new ArrayList<>();
    Map<String, Map<String, String>> repositories = new TreeMap<>();
    for (Saved s : byId.values()) {
      String configName = s.image().id().hex() + ".json";
      entries.put(configName, tar -> tar.file(configName, s.config()));
      List<String> layerNames = new ArrayList<>();
      List<Digest> diffIds = s.image().config().rootfs().diffIds();
      for (int i = 0; i < diffIds.size(); i++) {
        Digest diffId = diffIds.get(i);
        Descriptor blob = s.image().layers().get(i);
        String dir = diffId.hex();
        String name = dir + "/layer.tar";
        layerNames.add(name);
        entries.put(dir + "/", tar -> tar.directory(dir));
        entries.putIfAbsent(name, tar -> writeLayer(tar, name, blob, diffId));
      }
      manifest.add(new ManifestEntry(configName, s.repoTags(), layerNames));
      if (!diffIds.isEmpty()) {
        String top = diffIds.get(diffIds.size() - 1).hex();
        for (String t : s.repoTags()) {
          ImageRef r = ImageRef.parse(t);
          repositories.computeIfAbsent(r.familiarName(), k -> new TreeMap<>()).put(r.tag().orElseThrow(), top);
        }
      }
    }
    byte[] manifestJson = OciJson.write(manifest);
    byte[] repositoriesJson = OciJson.write(repositories);
    entries.put("manifest.json", tar -> tar.file("manifest.json", manifestJson));
    entries.put("repositories", tar -> tar.file("repositories", repositoriesJson));
    try (TarOut tar = new TarOut(out)) {
      for (EntryWriter w : entries.values()) {
        w.write(tar);
      }
    }
  }

  private interface EntryWriter {
    void write(TarOut tar) throws IOException;
  }

  private void writeLayer(TarOut tar, String name, Descriptor blob, Digest diffId) throws IOException {
    Path spool = dev.jbuild.store.TempFiles.createFile(store.root().tmp(), "save-", ".tar");
    try {
      DigestingOutputStream digest;
      try (InputStream in = Compression.decompress(store.blobs().open(blob.digest()));
          OutputStream out = Files.newOutputStream(spool)) {
        digest = new DigestingOutputStream(out);
        in.transferTo(digest);
        digest.flush();
      }
      Digest got = digest.digest();
      if (!got.equals(diffId)) {
        throw new ArchiveException(blob.digest().toString(), "layer content has diffID " + got
            + " but the image config says " + diffId + " (run jbuild verify)");
      }
      try (InputStream in = Files.newInputStream(spool)) {
        tar.file(name, digest.count(), in);
      }
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  /** The images an ingested archive's {@code manifest.json} lists, stored, checked and named. */
  static List<ArchiveLoader.Planned> plan(Store store, ArchiveIngest ingest) throws IOException {
    byte[] bytes = ingest.json("manifest.json")
        .orElseThrow(() -> new ArchiveException("manifest.json", "missing from the archive"));
    JsonNode root;
    try {
      root = OciJson.readTree(bytes);
    } catch (RuntimeException e) {
      throw new ArchiveException("manifest.json", e.getMessage(), e);
    }
    if (!root.isArray() || root.isEmpty()) {
      throw new ArchiveException("manifest.json", "must be a non-empty JSON array of images");
    }
    List<ArchiveLoader.Planned> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      out.add(planOne(store, ingest, root.get(i), "manifest.json[" + i + "]"));
    }
    return out;
  }

  /** Whether an ingested archive's {@code manifest.json} names any image (has RepoTags). */
  static boolean hasRepoTags(ArchiveIngest ingest) {
    try {
      JsonNode root = OciJson.readTree(ingest.json("manifest.json").orElse(new byte[0]));
      for (JsonNode n : root) {
        if (n.path("RepoTags").isArray() && !n.path("RepoTags").isEmpty()) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      return false;
    }
    return false;
  }

  private static ArchiveLoader.Planned planOne(Store store, ArchiveIngest ingest, JsonNode item, String place)
      throws IOException {
    String configName = text(item, "Config", place);
    JsonNode layersNode = item.path("Layers");
    if (!layersNode.isArray()) {
      throw new ArchiveException(place, "Layers must be an array");
    }
    List<ImageRef> names = new ArrayList<>();
    for (JsonNode t : item.path("RepoTags")) {
      if (!t.isTextual()) {
        throw new ArchiveException(place, "RepoTags must hold strings");
      }
      try {
        ImageRef r = Images.parseName(t.asText());
        if (!names.contains(r)) {
          names.add(r);
        }
      } catch (InvalidRefException e) {
        throw new ArchiveException(place, "invalid RepoTag: " + e.describe(), e);
      }
    }
    byte[] configBytes = configBytes(store, ingest, configName);
    ImageConfig config;
    try {
      config = OciJson.read(configBytes, ImageConfig.class);
    } catch (RuntimeException e) {
      throw new ArchiveException(configName, e.getMessage(), e);
    }
    List<Digest> diffIds = config.rootfs().diffIds();
    if (diffIds.size() != layersNode.size()) {
      throw new ArchiveException(place, "lists " + layersNode.size() + " layers but config " + configName + " has "
          + diffIds.size() + " diff_ids");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      if (!layersNode.get(i).isTextual()) {
        throw new ArchiveException(place, "Layers must hold strings");
      }
      String name = layersNode.get(i).asText();
      LayerFound found = layer(store, ingest, name);
      if (!found.diffId().equals(diffIds.get(i))) {
        throw new ArchiveException(name, "layer content has diffID " + found.diffId() + " but config " + configName
            + " says " + diffIds.get(i));
      }
      layers.add(found.blob());
    }
    Descriptor cfg = store.blobs().put(MediaType.OCI_CONFIG, configBytes);
    Descriptor manifest = store.blobs().put(MediaType.OCI_MANIFEST, OciJson.write(Manifest.of(cfg, layers)));
    return new ArchiveLoader.Planned(manifest, cfg.digest(), names, List.of());
  }

  private static byte[] configBytes(Store store, ArchiveIngest ingest, String name) throws IOException {
    Optional<byte[]> inMemory = ingest.json(name);
    byte[] bytes;
    if (inMemory.isPresent()) {
      bytes = inMemory.get();
    } else if (ingest.blob(name).isPresent()) {
      bytes = store.blobs().readAll(ingest.blob(name).get(), OciJson.MAX_BYTES);
    } else {
      throw new ArchiveException(name, ingest.hasFile(name) ? "image config is not a JSON object" : "image config missing from the archive");
    }
    // the name of a config is its digest, which is the image id: check it where the name says so
    Matcher m = HEX_JSON.matcher(ingest.resolve(name).substring(ingest.resolve(name).lastIndexOf('/') + 1));
    if (m.matches()) {
      Digest want = Digest.parse("sha256:" + m.group(1));
      Digest got = Digest.of(bytes);
      if (!want.equals(got)) {
        throw new ArchiveException(name, "image config content does not match its name (corrupt archive): got " + got);
      }
    }
    return bytes;
  }

  private record LayerFound(Descriptor blob, Digest diffId) {}

  private static LayerFound layer(Store store, ArchiveIngest ingest, String name) throws IOException {
    Optional<ArchiveIngest.Layer> l = ingest.layer(name);
    if (l.isPresent()) {
      return new LayerFound(l.get().blob(), l.get().diffId());
    }
    Optional<Digest> blob = ingest.blob(name);
    if (blob.isPresent()) {
      // docker 25+: the layer is an OCI blob already; keep it as is, learning its framing and diffID
      Compression framing;
      DigestingOutputStream diff = new DigestingOutputStream(OutputStream.nullOutputStream());
      try (BufferedInputStream in = new BufferedInputStream(store.blobs().open(blob.get()), 1 << 16)) {
        framing = Compression.detect(in);
        Compression.decompress(in).transferTo(diff);
      } catch (IOException e) {
        throw new ArchiveException(name, "cannot read layer: " + e.getMessage(), e);
      }
      return new LayerFound(Descriptor.of(framing.mediaType(), blob.get(), store.blobs().size(blob.get())), diff.digest());
    }
    Optional<String> why = ingest.notLayer(name);
    if (why.isPresent()) {
      throw new ArchiveException(name, "cannot read layer: " + why.get());
    }
    throw new ArchiveException(name, "layer missing from the archive");
  }

  private static String text(JsonNode item, String field, String place) {
    JsonNode n = item.path(field);
    if (!n.isTextual() || n.asText().isEmpty()) {
      throw new ArchiveException(place, field + " must be a non-empty string");
    }
    return n.asText();
  }
}
