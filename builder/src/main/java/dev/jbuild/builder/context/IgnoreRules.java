package dev.jbuild.builder.context;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of {@code .dockerignore} patterns deciding which context paths are excluded,
 * with moby {@code patternmatcher} semantics: patterns apply in order and the last one that
 * applies wins; {@code !} patterns re-include.
 *
 * <p>Paths are slash-separated and relative to the context root ({@code docs/README.md}).
 * Immutable.
 */
public final class IgnoreRules {
  private static final IgnoreRules NONE = new IgnoreRules(List.of());
  private final List<IgnorePattern> patterns;
  private final boolean exclusions;

  private IgnoreRules(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
    this.exclusions = this.patterns.stream().anyMatch(IgnorePattern::exclusion);
  }

  /** Rules that exclude nothing. */
  public static IgnoreRules none() {
    return NONE;
  }

  /**
   * Rules from pattern lines (upstream's {@code New}): each trimmed, blank ones dropped, cleaned, a
   * leading {@code !} making an exclusion. {@link BadPatternException} for a lone {@code !} or a
   * malformed pattern.
   */
  public static IgnoreRules of(List<String> lines) {
    List<IgnorePattern> ps = new ArrayList<>();
    for (String line : lines) {
      IgnorePattern.parse(line).ifPresent(ps::add);
    }
    return new IgnoreRules(ps);
  }

  /** The cleaned patterns, in order. */
  public List<IgnorePattern> patterns() {
    return patterns;
  }

  /** True if some pattern is a {@code !} exclusion. */
  public boolean hasExclusions() {
    return exclusions;
  }

  /**
   * Whether {@code path} is excluded from the context (upstream's {@code MatchesOrParentMatches},
   * what BuildKit uses): a pattern applies when it matches the path or one of its parent
   * directories.
   */
  public boolean matchesOrParentMatches(String path) {
    boolean matched = false;
    String parent = PathText.dir(path);
    String[] parentDirs = parent.split("/", -1);
    for (IgnorePattern p : patterns) {
      // An inclusion can only change an unmatched path, an exclusion only a matched one.
      if (p.exclusion() != matched) {
        continue;
      }
      boolean match = p.matches(path);
      if (!match && !parent.equals(".")) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parentDirs.length && !match; i++) {
          if (i > 0) {
            prefix.append('/');
          }
          prefix.append(parentDirs[i]);
          match = p.matches(prefix.toString());
        }
      }
      if (match) {
        matched = !p.exclusion();
      }
    }
    return matched;
  }

  /**
   * The older rule (upstream's deprecated {@code PatternMatcher.Matches}): a parent directory is
   * only tried at the pattern's own depth, so {@code a*} matches {@code ab/c} but {@code a} does
   * not match {@code x/a/b}.
   */
  public boolean matches(String path) {
    boolean matched = false;
    String parent = PathText.dir(path);
    String[] parentDirs = parent.split("/", -1);
    for (IgnorePattern p : patterns) {
      if (p.exclusion() != matched) {
        continue;
      }
      boolean match = p.matches(path);
      int depth = p.dirs().size();
      if (!match && !parent.equals(".") && depth <= parentDirs.length) {
        match = p.matches(String.join("/", List.of(parentDirs).subList(0, depth)));
      }
      if (match) {
        matched = !p.exclusion();
      }
    }
    return matched;
  }

  /**
   * Upstream's top-level {@code Matches(file, patterns)}: builds the rules, cleans the path and
   * never matches {@code "."} (excluding the whole context makes no sense).
   */
  public static boolean matches(String path, List<String> patterns) {
    IgnoreRules rules = of(patterns);
    String cleaned = PathText.clean(path);
    if (cleaned.equals(".")) {
      return false;
    }
    return rules.matches(cleaned);
  }

  /**
   * Whether an exclusion pattern might re-include {@code dir} or something beneath it, so that an
   * excluded directory still has to be walked. Conservative: true unless every exclusion pattern
   * provably cannot match there.
   */
  public boolean mayReincludeBeneath(String dir) {
    if (!exclusions) {
      return false;
    }
    String[] d = dir.split("/", -1);
    for (IgnorePattern p : patterns) {
      if (p.exclusion() && mayMatchAtOrBelow(p, d)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayMatchAtOrBelow(IgnorePattern p, String[] dir) {
    List<String> segs = p.dirs();
    for (int i = 0; i < dir.length; i++) {
      if (i >= segs.size()) {
        // The pattern is shallower than the directory: it might match one of its parents.
        return true;
      }
      String seg = segs.get(i);
      if (seg.contains("**")) {
        return true;
      }
      try {
        if (!Glob.match(seg, dir[i])) {
          return false;
        }
      } catch (BadPatternException e) {
        // A segment that is not a pattern on its own (e.g. a class spanning '/'): stay conservative.
        return true;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}
