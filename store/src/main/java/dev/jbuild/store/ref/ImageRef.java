package dev.jbuild.store.ref;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [registry/]repository[:tag][@digest]}, parsed per the docker
 * reference grammar and normalised as docker normalises it: {@code busybox} is {@code
 * docker.io/library/busybox:latest}, {@code index.docker.io} is {@code docker.io}, and a reference
 * without tag or digest gets the tag {@code latest}.
 *
 * <pre>{@code
 * ImageRef r = ImageRef.parse("localhost:5000/a/b:t");
 * r.registry();    // "localhost:5000"
 * r.repository();  // "a/b"
 * r.toString();    // "localhost:5000/a/b:t"
 * ImageRef.parse("busybox").familiar();   // "busybox:latest"
 * }</pre>
 *
 * <p>{@code ImageRef.parse(r.toString()).equals(r)} and {@code ImageRef.parse(r.familiar()).equals(r)}.
 *
 * @see <a href="https://github.com/distribution/reference/blob/main/reference.go">distribution/reference grammar</a>
 */
public record ImageRef(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {

  public static final String DOCKER_HUB = "docker.io";
  public static final String DEFAULT_TAG = "latest";
  /** docker's limit on the length of {@code registry/repository}. */
  public static final int NAME_MAX = 255;

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE = Pattern.compile(
      "((?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
  private static final Pattern DOMAIN_ONLY = Pattern.compile(DOMAIN);
  private static final Pattern PATH_ONLY = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final Pattern TAG_ONLY = Pattern.compile(TAG);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
  // Inputs beyond this cannot be valid (name 255 + tag 128 + a sha512 digest) and would only cost regex time.
  private static final int INPUT_MAX = NAME_MAX + 1 + 128 + 1 + 7 + 128;

  public ImageRef {
    if (registry == null || !DOMAIN_ONLY.matcher(registry).matches()) {
      throw new InvalidRefException(String.valueOf(registry), "invalid registry name");
    }
    if (repository == null || !PATH_ONLY.matcher(repository).matches()) {
      throw new InvalidRefException(String.valueOf(repository),
          repository != null && PATH_ONLY.matcher(repository.toLowerCase()).matches()
              ? "repository name must be lowercase" : "invalid repository name");
    }
    if (registry.length() + 1 + repository.length() > NAME_MAX) {
      throw new InvalidRefException(registry + "/" + repository,
          "repository name must not be more than " + NAME_MAX + " characters");
    }
    tag = tag == null ? Optional.empty() : tag;
    digest = digest == null ? Optional.empty() : digest;
    tag.ifPresent(t -> {
      if (!TAG_ONLY.matcher(t).matches()) {
        throw new InvalidRefException(t, "invalid tag format");
      }
    });
  }

  /**
   * Parses and normalises a reference as the user typed it. Fails with {@link InvalidRefException}
   * naming the problem ({@code invalid reference "UPPER:Case": repository name must be lowercase}).
   */
  public static ImageRef parse(String s) {
    if (s == null || s.isEmpty()) {
      throw new InvalidRefException("", "repository name must have at least one component");
    }
    if (s.length() > INPUT_MAX) {
      throw new InvalidRefException(s.substring(0, 40) + "...", "reference is longer than " + INPUT_MAX + " characters");
    }
    if (IDENTIFIER.matcher(s).matches()) {
      throw new InvalidRefException(s, "repository name cannot be a 64-character hexadecimal string (an image id)");
    }
    // docker's splitDockerDomain: the first component is a registry only if it looks like a host
    // (has "." or ":", is "localhost", or has upper case, which a repository cannot).
    int slash = s.indexOf('/');
    String first = slash < 0 ? "" : s.substring(0, slash);
    String registry;
    String rest;
    if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
        && first.toLowerCase().equals(first))) {
      registry = DOCKER_HUB;
      rest = s;
    } else {
      registry = first;
      rest = s.substring(slash + 1);
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    Matcher m = REFERENCE.matcher(rest);
    if (!m.matches()) {
      String remote = rest.split("[:@]", 2)[0];
      if (!remote.toLowerCase().equals(remote) && REFERENCE.matcher(rest.toLowerCase()).matches()) {
        throw new InvalidRefException(s, "repository name must be lowercase");
      }
      if (rest.contains("@")) {
        String d = rest.substring(rest.indexOf('@') + 1);
        if (!Pattern.matches(DIGEST, d)) {
          throw new InvalidRefException(s, "invalid digest format");
        }
      }
      if (rest.contains(":") && !rest.substring(rest.indexOf(':') + 1).contains("/")) {
        String t = rest.substring(rest.indexOf(':') + 1).split("@", 2)[0];
        if (!TAG_ONLY.matcher(t).matches()) {
          throw new InvalidRefException(s, "invalid tag format");
        }
      }
      throw new InvalidRefException(s, "invalid reference format");
    }
    if (!DOMAIN_ONLY.matcher(registry).matches()) {
      throw new InvalidRefException(s, "invalid registry name \"" + registry + "\"");
    }
    String repository = m.group(1);
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (registry.length() + 1 + repository.length() > NAME_MAX) {
      throw new InvalidRefException(s, "repository name must not be more than " + NAME_MAX + " characters");
    }
    Optional<Digest> digest = Optional.empty();
    if (m.group(3) != null) {
      try {
        digest = Optional.of(Digest.parse(m.group(3)));
      } catch (JbuildException e) {
        throw new InvalidRefException(s, "invalid digest: " + e.getMessage());
      }
    }
    Optional<String> tag = Optional.ofNullable(m.group(2));
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of(DEFAULT_TAG);
    }
    return new ImageRef(registry, repository, tag, digest);
  }

  /** A reference to a repository and tag. */
  public static ImageRef of(String registry, String repository, String tag) {
    return new ImageRef(registry, repository, Optional.of(tag), Optional.empty());
  }

  /** {@code registry/repository}, without tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The name as docker shows it: {@code busybox}, {@code user/app}, {@code localhost:5000/a/b}. */
  public String familiarName() {
    if (!registry.equals(DOCKER_HUB)) {
      return name();
    }
    if (repository.startsWith("library/") && repository.indexOf('/', "library/".length()) < 0) {
      return repository.substring("library/".length());
    }
    return repository;
  }

  /** The short form docker shows: {@code busybox:latest}, {@code localhost:5000/a/b:t@sha256:...}. */
  public String familiar() {
    return familiarName() + suffix();
  }

  /** This reference with another tag (and no digest). */
  public ImageRef withTag(String t) {
    return new ImageRef(registry, repository, Optional.of(t), Optional.empty());
  }

  /** This reference pinned to a digest, keeping its tag. */
  public ImageRef withDigest(Digest d) {
    return new ImageRef(registry, repository, tag, Optional.of(d));
  }

  /** The full normalised form: {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return name() + suffix();
  }

  private String suffix() {
    return tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
