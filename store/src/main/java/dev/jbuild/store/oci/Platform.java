package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The platform an image runs on ({@code linux/amd64}, {@code linux/arm/v7}).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">image-index.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant"})
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    @JsonProperty("variant") String variant) {

  public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null, null);

  public Platform {
    if (architecture == null || architecture.isEmpty() || os == null || os.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture");
    }
    osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String s) {
    String[] p = s.split("/", -1);
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty() || (p.length == 3 && p[2].isEmpty())) {
      throw new IllegalArgumentException("invalid platform \"" + s + "\": want os/arch[/variant]");
    }
    return new Platform(p[1], p[0], null, null, p.length == 3 ? p[2] : null);
  }

  @JsonIgnore
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
