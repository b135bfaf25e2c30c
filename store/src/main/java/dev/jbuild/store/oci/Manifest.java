package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An image manifest: one config and an ordered list of layers, bottom first. Reads OCI manifests and
 * Docker schema 2 manifests (same shape, other media types); writes whatever {@code mediaType} it
 * holds.
 *
 * <pre>{@code
 * Manifest m = Manifest.of(configDescriptor, List.of(layerDescriptor));
 * byte[] bytes = OciJson.write(m);   // canonical: its digest is the image's manifest digest
 * }</pre>
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">manifest.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations"})
public record Manifest(
    int schemaVersion,
    MediaType mediaType,
    MediaType artifactType,
    Descriptor config,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations) {

  public Manifest {
    if (schemaVersion != 2) {
      throw new InvalidManifestException("schemaVersion must be 2, got " + schemaVersion
          + (schemaVersion == 1 ? " (docker schema 1 manifests are not supported)" : ""));
    }
    if (mediaType != null && !mediaType.isManifest()) {
      throw new InvalidManifestException("mediaType " + mediaType + " is not an image manifest"
          + (mediaType.isIndex() ? " (it is an index)" : ""));
    }
    if (config == null) {
      throw new InvalidManifestException("missing config" + (layers == null ? " and layers (is it an index?)" : ""));
    }
    if (layers == null) {
      throw new InvalidManifestException("missing layers");
    }
    layers = List.copyOf(layers);
    annotations = annotations == null || annotations.isEmpty() ? null : new TreeMap<>(annotations);
  }

  /** An OCI manifest of an image with this config and these layers, bottom first. */
  public static Manifest of(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaType.OCI_MANIFEST, null, config, layers, null, null);
  }

  /** The media type this manifest is stored under: its own, or OCI's when it names none. */
  public MediaType effectiveMediaType() {
    return mediaType == null ? MediaType.OCI_MANIFEST : mediaType;
  }

  public Manifest withConfig(Descriptor c) {
    return new Manifest(schemaVersion, mediaType, artifactType, c, layers, subject, annotations);
  }

  public Manifest withLayers(List<Descriptor> l) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, l, subject, annotations);
  }

  /** This manifest with one more layer on top. */
  public Manifest withLayer(Descriptor layer) {
    List<Descriptor> l = new ArrayList<>(layers);
    l.add(layer);
    return withLayers(l);
  }

  public Manifest withMediaType(MediaType m) {
    return new Manifest(schemaVersion, m, artifactType, config, layers, subject, annotations);
  }

  public Manifest withArtifactType(MediaType a) {
    return new Manifest(schemaVersion, mediaType, a, config, layers, subject, annotations);
  }

  public Manifest withSubject(Descriptor s) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, layers, s, annotations);
  }

  public Manifest withAnnotations(Map<String, String> a) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject, a);
  }

  /** The annotations, never null. */
  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }
}
