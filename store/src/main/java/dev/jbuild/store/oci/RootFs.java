package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jbuild.store.digest.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers of an image config: the diffIDs (digests of the uncompressed layer tars), bottom first.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">config.md</a>
 */
@JsonPropertyOrder({"type", "diff_ids"})
public record RootFs(
    @JsonProperty("type") String type,
    @JsonProperty("diff_ids") @JsonInclude(JsonInclude.Include.ALWAYS) List<Digest> diffIds) {

  public static final String LAYERS = "layers";

  public RootFs {
    if (!LAYERS.equals(type)) {
      throw new InvalidConfigException("rootfs.type must be \"layers\", got " + (type == null ? "none" : "\"" + type + "\""));
    }
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
  }

  public static RootFs of(List<Digest> diffIds) {
    return new RootFs(LAYERS, diffIds);
  }

  /** This rootfs with one more layer on top. */
  public RootFs withDiffId(Digest diffId) {
    List<Digest> d = new ArrayList<>(diffIds);
    d.add(diffId);
    return new RootFs(type, d);
  }
}
