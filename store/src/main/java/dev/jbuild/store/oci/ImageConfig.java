package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jbuild.store.digest.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An image config: platform, execution defaults ({@link ContainerConfig}), the layers' diffIDs
 * ({@link RootFs}) and the history. Reads OCI and Docker image configs (fields jbuild does not model,
 * such as docker's {@code container_config}, are dropped).
 *
 * <p>Invariant kept by {@link #withLayer}: the history entries without {@code empty_layer} match
 * the diffIDs one to one (the constructor does not enforce it, since images in the wild break it).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">config.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"created", "author", "architecture", "os", "os.version", "os.features", "variant", "config",
    "rootfs", "history"})
public record ImageConfig(
    @JsonProperty("created") Instant created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    @JsonProperty("variant") String variant,
    @JsonProperty("config") ContainerConfig config,
    @JsonProperty("rootfs") @JsonInclude(JsonInclude.Include.ALWAYS) RootFs rootfs,
    @JsonProperty("history") List<HistoryEntry> history) {

  public ImageConfig {
    if (architecture == null || architecture.isEmpty()) {
      throw new InvalidConfigException("missing architecture");
    }
    if (os == null || os.isEmpty()) {
      throw new InvalidConfigException("missing os");
    }
    if (rootfs == null) {
      throw new InvalidConfigException("missing rootfs");
    }
    osFeatures = osFeatures == null || osFeatures.isEmpty() ? null : List.copyOf(osFeatures);
    history = history == null ? List.of() : List.copyOf(history);
    // An empty config object and an absent one mean the same; keep one spelling so equals works.
    config = config == null || config.equals(ContainerConfig.EMPTY) ? null : config;
  }

  /** A config for an image with no layers on this platform. */
  public static ImageConfig of(Platform platform) {
    return new ImageConfig(null, null, platform.architecture(), platform.os(), platform.osVersion(),
        platform.osFeatures(), platform.variant(), null, RootFs.of(List.of()), List.of());
  }

  /** The platform this image runs on. */
  public Platform platform() {
    return new Platform(architecture, os, osVersion, osFeatures, variant);
  }

  /** The execution defaults, never null. */
  public ContainerConfig configOrEmpty() {
    return config == null ? ContainerConfig.EMPTY : config;
  }

  /** The number of history entries that stand for a layer. */
  public long nonEmptyHistoryCount() {
    return history.stream().filter(h -> !h.emptyLayer()).count();
  }

  public ImageConfig withCreated(Instant c) {
    return new ImageConfig(c, author, architecture, os, osVersion, osFeatures, variant, config, rootfs, history);
  }

  public ImageConfig withAuthor(String a) {
    return new ImageConfig(created, a, architecture, os, osVersion, osFeatures, variant, config, rootfs, history);
  }

  public ImageConfig withPlatform(Platform p) {
    return new ImageConfig(created, author, p.architecture(), p.os(), p.osVersion(), p.osFeatures(), p.variant(),
        config, rootfs, history);
  }

  public ImageConfig withConfig(ContainerConfig c) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, c, rootfs, history);
  }

  public ImageConfig withRootFs(RootFs r) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, r, history);
  }

  public ImageConfig withHistory(List<HistoryEntry> h) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs, h);
  }

  /** This config with one more history entry (a metadata-only step when it is {@code empty_layer}). */
  public ImageConfig withHistoryEntry(HistoryEntry h) {
    List<HistoryEntry> all = new ArrayList<>(history);
    all.add(h);
    return withHistory(all);
  }

  /** This config with a layer on top: its diffID and the history entry that made it. */
  public ImageConfig withLayer(Digest diffId, HistoryEntry h) {
    if (h.emptyLayer()) {
      throw new IllegalArgumentException("[internal error] a layer's history entry cannot be empty_layer");
    }
    return withRootFs(rootfs.withDiffId(diffId)).withHistoryEntry(h);
  }
}
