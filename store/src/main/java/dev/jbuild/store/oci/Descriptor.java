package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jbuild.store.digest.Digest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A content descriptor: what a blob is (media type), which one (digest) and how big (size), with
 * optional annotations, platform and urls.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">descriptor.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"mediaType", "digest", "size", "urls", "annotations", "platform", "artifactType"})
public record Descriptor(
    MediaType mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    Platform platform,
    String artifactType) {

  public Descriptor {
    if (mediaType == null || digest == null) {
      throw new IllegalArgumentException("descriptor needs a media type and a digest");
    }
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size is negative: " + size);
    }
    if (artifactType != null) {
      MediaType.parse(artifactType); // same grammar as a media type; throws when it is not one
    }
    urls = urls == null || urls.isEmpty() ? null : List.copyOf(urls);
    annotations = annotations == null || annotations.isEmpty() ? null : new TreeMap<>(annotations);
  }

  public static Descriptor of(MediaType mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null);
  }

  public Descriptor withAnnotations(Map<String, String> a) {
    return new Descriptor(mediaType, digest, size, urls, a, platform, artifactType);
  }

  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, urls, annotations, p, artifactType);
  }

  public Descriptor withMediaType(MediaType m) {
    return new Descriptor(m, digest, size, urls, annotations, platform, artifactType);
  }

  /** The annotations, never null. */
  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }
}
