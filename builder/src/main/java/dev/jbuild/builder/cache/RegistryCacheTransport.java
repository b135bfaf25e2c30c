package dev.jbuild.builder.cache;

import dev.jbuild.store.blob.BlobStore;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.registry.ManifestResponse;
import dev.jbuild.store.registry.Registries;
import dev.jbuild.store.registry.RegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A build cache kept as an OCI image in a registry ({@code type=registry,ref=REF}). */
public record RegistryCacheTransport(Registries registries, ImageRef ref) implements CacheTransport {

  private RegistryClient client() {
    return registries.client(ref.registry());
  }

  private String reference() {
    return ref.digest().map(Digest::toString).orElse(ref.tag().orElse("latest"));
  }

  @Override
  public CacheManifest read() throws IOException {
    ManifestResponse r = client().getManifest(ref.repository(), reference(), List.of(MediaType.OCI_MANIFEST));
    LocalCacheTransport.Manifest m = OciJson.read(r.bytes(), LocalCacheTransport.Manifest.class);
    if (m.config() == null || !m.config().mediaType().equals(CacheManifest.CONFIG_TYPE)) {
      throw new IOException(ref + ": not a jbuild cache (config media type)");
    }
    try (InputStream in = client().openBlob(ref.repository(), m.config())) {
      return LocalCacheTransport.parseConfig(in.readAllBytes());
    }
  }

  @Override
  public void fetch(Descriptor layer, BlobStore blobs) throws IOException {
    try (BlobWriter w = blobs.newWriter()) {
      client().pullBlob(ref.repository(), layer, w);
    }
  }

  @Override
  public void write(CacheManifest records, List<Descriptor> layers, BlobStore blobs) throws IOException {
    RegistryClient c = client();
    for (Descriptor l : layers) {
      c.pushBlob(ref.repository(), l, () -> blobs.open(l.digest()));
    }
    byte[] config = OciJson.write(records);
    Descriptor configDesc = Descriptor.of(CacheManifest.CONFIG_TYPE, Digest.of(config), config.length);
    c.pushBlob(ref.repository(), configDesc, () -> new ByteArrayInputStream(config));
    c.putManifest(ref.repository(), ref.tag().orElse("latest"), MediaType.OCI_MANIFEST,
        LocalCacheTransport.manifestBytes(configDesc, layers));
  }

  @Override
  public String describe() {
    return "registry cache " + ref;
  }
}
