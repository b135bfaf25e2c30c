package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An image index: a list of manifest (or nested index) descriptors, usually one per platform. Reads
 * OCI indexes and Docker manifest lists; also the model of an OCI layout's {@code index.json}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">image-index.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations"})
public record Index(
    int schemaVersion,
    MediaType mediaType,
    MediaType artifactType,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations) {

  public Index {
    if (schemaVersion != 2) {
      throw new InvalidManifestException("schemaVersion must be 2, got " + schemaVersion);
    }
    if (mediaType != null && !mediaType.isIndex()) {
      throw new InvalidManifestException("mediaType " + mediaType + " is not an image index"
          + (mediaType.isManifest() ? " (it is a manifest)" : ""));
    }
    if (manifests == null) {
      throw new InvalidManifestException("missing manifests");
    }
    manifests = List.copyOf(manifests);
    annotations = annotations == null || annotations.isEmpty() ? null : new TreeMap<>(annotations);
  }

  /** An OCI index listing these descriptors. */
  public static Index of(List<Descriptor> manifests) {
    return new Index(2, MediaType.OCI_INDEX, null, manifests, null, null);
  }

  public Index withManifests(List<Descriptor> m) {
    return new Index(schemaVersion, mediaType, artifactType, m, subject, annotations);
  }

  /** This index with one more descriptor at the end. */
  public Index withManifest(Descriptor d) {
    List<Descriptor> m = new ArrayList<>(manifests);
    m.add(d);
    return withManifests(m);
  }

  /** This index without the descriptors that match. */
  public Index without(Predicate<Descriptor> drop) {
    return withManifests(manifests.stream().filter(drop.negate()).toList());
  }

  public Index withMediaType(MediaType m) {
    return new Index(schemaVersion, m, artifactType, manifests, subject, annotations);
  }

  public Index withSubject(Descriptor s) {
    return new Index(schemaVersion, mediaType, artifactType, manifests, s, annotations);
  }

  public Index withAnnotations(Map<String, String> a) {
    return new Index(schemaVersion, mediaType, artifactType, manifests, subject, a);
  }
}
