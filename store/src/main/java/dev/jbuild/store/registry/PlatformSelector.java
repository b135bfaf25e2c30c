package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the manifest for a platform out of an OCI index or Docker manifest list (raw JSON), as
 * {@code docker pull --platform} does.
 *
 * <p>OS and architecture must be equal. Variants are compared after filling in the defaults
 * ({@code arm64} is {@code v8}, {@code arm} is {@code v7}, {@code amd64} is {@code v1}); when no
 * entry has the wanted variant, the highest lower {@code vN} of the same architecture is taken
 * ({@code linux/arm/v7} runs {@code v6} images). Entries without a platform, or with {@code
 * unknown/unknown} (attestations), never match.
 */
public final class PlatformSelector {
  private PlatformSelector() {}

  /** The manifest descriptors of an index, with their platforms when given. */
  public static List<Descriptor> manifests(byte[] indexJson) {
    JsonNode root;
    try {
      root = Transport.JSON.readTree(indexJson);
    } catch (IOException e) {
      throw new JbuildException("reading index: invalid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("manifests").isArray()) {
      throw new JbuildException("reading index: no \"manifests\" list");
    }
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode m : root.path("manifests")) {
      try {
        Descriptor d = Descriptor.of(MediaType.parse(m.path("mediaType").asText("")),
            Digest.parse(m.path("digest").asText(null)), m.path("size").asLong(-1));
        JsonNode p = m.path("platform");
        if (p.isObject() && !p.path("os").asText("").isEmpty() && !p.path("architecture").asText("").isEmpty()) {
          List<String> features = new ArrayList<>();
          p.path("os.features").forEach(f -> features.add(f.asText()));
          d = d.withPlatform(new Platform(p.path("architecture").asText(), p.path("os").asText(),
              p.path("os.version").asText(null), features.isEmpty() ? null : features, p.path("variant").asText(null)));
        }
        Map<String, String> ann = new java.util.TreeMap<>();
        m.path("annotations").properties().forEach(e -> ann.put(e.getKey(), e.getValue().asText()));
        out.add(ann.isEmpty() ? d : d.withAnnotations(ann));
      } catch (RuntimeException e) {
        throw new JbuildException("reading index: invalid manifest entry: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The manifest for a platform; fails with {@link PlatformNotFoundException} listing those available. */
  public static Descriptor select(byte[] indexJson, Platform wanted) {
    List<Descriptor> all = manifests(indexJson);
    return select(all, wanted).orElseThrow(() -> new PlatformNotFoundException(
        "no manifest for " + wanted + " in the index (available: "
            + String.join(", ", all.stream().filter(d -> d.platform() != null && !isUnknown(d.platform()))
                .map(d -> d.platform().toString()).distinct().toList()).replaceAll("^$", "none") + ")"));
  }

  /** The best manifest for a platform among descriptors, if any matches. */
  public static Optional<Descriptor> select(List<Descriptor> manifests, Platform wanted) {
    String wantVariant = normalizedVariant(wanted);
    Optional<Descriptor> exact = manifests.stream()
        .filter(d -> sameOsArch(d.platform(), wanted) && normalizedVariant(d.platform()).equals(wantVariant))
        .findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    int wantLevel = level(wantVariant);
    if (wantLevel < 0) {
      return Optional.empty();
    }
    return manifests.stream()
        .filter(d -> sameOsArch(d.platform(), wanted))
        .filter(d -> {
          int l = level(normalizedVariant(d.platform()));
          return l >= 0 && l < wantLevel;
        })
        .max(Comparator.comparingInt(d -> level(normalizedVariant(d.platform()))));
  }

  /** True if an image for {@code candidate} runs on {@code wanted} by the rules above. */
  public static boolean matches(Platform wanted, Platform candidate) {
    return select(List.of(Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(new byte[0]), 0).withPlatform(candidate)), wanted)
        .isPresent();
  }

  private static boolean sameOsArch(Platform p, Platform wanted) {
    return p != null && !isUnknown(p) && p.os().equals(wanted.os()) && normalizedArch(p.architecture()).equals(normalizedArch(wanted.architecture()));
  }

  private static boolean isUnknown(Platform p) {
    return p.os().equals("unknown") || p.architecture().equals("unknown");
  }

  private static String normalizedArch(String arch) {
    return switch (arch) {
      case "x86_64", "x86-64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }

  private static String normalizedVariant(Platform p) {
    if (p.variant() != null && !p.variant().isEmpty()) {
      return p.variant();
    }
    return switch (normalizedArch(p.architecture())) {
      case "arm64" -> "v8";
      case "arm" -> "v7";
      case "amd64" -> "v1";
      default -> "";
    };
  }

  private static int level(String variant) {
    return variant.matches("v[0-9]+") ? Integer.parseInt(variant.substring(1)) : -1;
  }
}
