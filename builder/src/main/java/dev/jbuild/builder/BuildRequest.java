package dev.jbuild.builder;

import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.store.layer.Compression;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to build: the context directory, the Buildfile, names for the image, {@code --build-arg} values,
 * the {@code --target} stage, cache switches ({@code --no-cache}, {@code --no-cache-filter}), the default
 * network of RUN steps, extra labels, SOURCE_DATE_EPOCH, the layer compression, the secrets RUN
 * {@code --mount=type=secret} may use, and {@code --squash} (the target stage's new layers folded into one).
 */
public record BuildRequest(
    Path contextDir,
    Path buildfile,
    List<String> tags,
    Map<String, String> buildArgs,
    Optional<String> target,
    boolean noCache,
    Set<String> noCacheFilter,
    NetworkMode network,
    Map<String, String> labels,
    Optional<Instant> sourceDateEpoch,
    Compression compression,
    Map<String, Secret> secrets,
    boolean squash) {

  public BuildRequest {
    Objects.requireNonNull(contextDir, "contextDir");
    Objects.requireNonNull(buildfile, "buildfile");
    tags = List.copyOf(tags);
    buildArgs = Map.copyOf(buildArgs);
    Objects.requireNonNull(target, "target");
    noCacheFilter = Set.copyOf(noCacheFilter);
    network = network == null ? NetworkMode.BRIDGE : network;
    labels = Map.copyOf(labels);
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    compression = compression == null ? Compression.GZIP : compression;
    secrets = Map.copyOf(secrets);
  }

  /** A secret for RUN --mount=type=secret: a file's content or an environment value; never stored anywhere. */
  public record Secret(String id, Optional<Path> file, Optional<String> value) {
    public Secret {
      Objects.requireNonNull(id, "id");
      if (file.isPresent() == value.isPresent()) {
        throw new IllegalArgumentException("secret " + id + " needs exactly one of src= and env=");
      }
    }
  }

  /** A request for the context with its Buildfile, with defaults for everything else. */
  public static BuildRequest of(Path contextDir, Path buildfile) {
    return new BuildRequest(contextDir, buildfile, List.of(), Map.of(), Optional.empty(), false, Set.of(),
        NetworkMode.BRIDGE, Map.of(), Optional.empty(), Compression.GZIP, Map.of(), false);
  }

  public BuildRequest withTags(List<String> t) {
    return new BuildRequest(contextDir, buildfile, t, buildArgs, target, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withBuildArgs(Map<String, String> a) {
    return new BuildRequest(contextDir, buildfile, tags, a, target, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withTarget(Optional<String> t) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, t, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withNoCache(boolean n) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, n, noCacheFilter, network, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withNoCacheFilter(Set<String> f) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, f, network, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withNetwork(NetworkMode n) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, n, labels,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withLabels(Map<String, String> l) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, network, l,
        sourceDateEpoch, compression, secrets, squash);
  }

  public BuildRequest withSourceDateEpoch(Optional<Instant> e) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, network, labels,
        e, compression, secrets, squash);
  }

  public BuildRequest withCompression(Compression c) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, c, secrets, squash);
  }

  public BuildRequest withSecrets(Map<String, Secret> s) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, compression, s, squash);
  }


  public BuildRequest withSquash(boolean q) {
    return new BuildRequest(contextDir, buildfile, tags, buildArgs, target, noCache, noCacheFilter, network, labels,
        sourceDateEpoch, compression, secrets, q);
  }
}
