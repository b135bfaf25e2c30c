package dev.jbuild.builder.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.VerifyingInputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A build cache kept as an OCI image layout directory ({@code type=local}). */
public record LocalCacheTransport(Path dir) implements CacheTransport {

  /** The minimal OCI image manifest (and index) shape this transport writes and reads. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Manifest(@JsonProperty("schemaVersion") int schemaVersion, @JsonProperty("mediaType") String mediaType,
      @JsonProperty("config") Descriptor config, @JsonProperty("layers") List<Descriptor> layers,
      @JsonProperty("manifests") List<Descriptor> manifests) {}

  static byte[] manifestBytes(Descriptor config, List<Descriptor> layers) {
    return OciJson.write(new Manifest(2, MediaType.OCI_MANIFEST.value(), config, layers, null));
  }

  static CacheManifest parseConfig(byte[] bytes) {
    return OciJson.read(bytes, CacheManifest.class);
  }

  @Override
  public CacheManifest read() throws IOException {
    Manifest index = OciJson.read(Files.readAllBytes(dir.resolve("index.json")), Manifest.class);
    if (index.manifests() == null || index.manifests().isEmpty()) {
      throw new IOException(dir + ": the cache index names no manifest");
    }
    Manifest m = OciJson.read(readVerified(index.manifests().getFirst()), Manifest.class);
    if (m.config() == null || !m.config().mediaType().equals(CacheManifest.CONFIG_TYPE)) {
      throw new IOException(dir + ": not a jbuild cache (config media type)");
    }
    return parseConfig(readVerified(m.config()));
  }

  private byte[] readVerified(Descriptor d) throws IOException {
    try (InputStream in = new VerifyingInputStream(Files.newInputStream(blob(d.digest())), d.digest(), d.size())) {
      return in.readAllBytes();
    }
  }

  private Path blob(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm().id()).resolve(d.hex());
  }

  @Override
  public void fetch(Descriptor layer, BlobStore blobs) throws IOException {
    try (BlobWriter w = blobs.newWriter(); InputStream in = Files.newInputStream(blob(layer.digest()))) {
      in.transferTo(w.stream());
      w.commit(layer.mediaType(), layer.digest());
    }
  }

  @Override
  public void write(CacheManifest records, List<Descriptor> layers, BlobStore blobs) throws IOException {
    Files.createDirectories(dir);
    for (Descriptor l : layers) {
      Path target = blob(l.digest());
      if (!Files.exists(target)) {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + l.digest().hex() + ".tmp");
        try (InputStream in = blobs.open(l.digest())) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    byte[] config = OciJson.write(records);
    Descriptor configDesc = put(CacheManifest.CONFIG_TYPE, config);
    Descriptor manifest = put(MediaType.OCI_MANIFEST, manifestBytes(configDesc, layers));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    // index.json last: a reader sees either the old cache or the complete new one
    Path tmp = dir.resolve(".index.json.tmp");
    Files.write(tmp, OciJson.write(new Manifest(2, MediaType.OCI_INDEX.value(), null, null, List.of(manifest))));
    Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Descriptor put(MediaType type, byte[] bytes) throws IOException {
    Descriptor d = Descriptor.of(type, Digest.of(bytes), bytes.length);
    Path target = blob(d.digest());
    Files.createDirectories(target.getParent());
    Files.write(target, bytes);
    return d;
  }

  @Override
  public String describe() {
    return "local cache " + dir;
  }
}
