package dev.jbuild.builder.context;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code .dockerignore} pattern after cleaning: its text without the leading {@code !}, whether
 * it is an exclusion (re-includes what it matches), and how it is matched, following moby's
 * {@code patternmatcher}.
 *
 * <p>A pattern is cleaned like Go's {@code filepath.Clean}. {@code **} matches any number of
 * directories (also none); other characters have {@link Glob} syntax. Matching is by one of four
 * {@link MatchType}s chosen from the text: a literal ({@code exact}), {@code dir/**} ({@code
 * prefix}: any path starting with {@code dir/}), {@code **...} without other wildcards ({@code
 * suffix}: any path ending with the rest, or equal to it without its leading slash), or a regular
 * expression. A pattern whose class has a reversed range such as {@code [Local-Only]} passes
 * {@code filepath.Match}'s syntax check but not the expression's: as upstream, creating it
 * succeeds and every match attempt fails with {@link BadPatternException}.
 *
 * <p>Equality is by text and kind.
 */
public final class IgnorePattern {

  /** How a pattern is matched; the same classification as moby's patternmatcher. */
  public enum MatchType {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEXP
  }

  private final String pattern;
  private final boolean exclusion;
  private final Compiled compiled;

  /**
   * A cleaned pattern (without {@code !}) and whether it is an exclusion; {@link
   * BadPatternException} if it is not valid {@link Glob} syntax.
   */
  public IgnorePattern(String pattern, boolean exclusion) {
    if (pattern == null || pattern.isEmpty()) {
      throw new BadPatternException("empty ignore pattern");
    }
    // The same syntax check upstream does (filepath.Match against "."), so malformed patterns fail early.
    Glob.compile(pattern);
    this.pattern = pattern;
    this.exclusion = exclusion;
    this.compiled = compile(pattern);
  }

  /** The cleaned pattern, without {@code !}. */
  public String pattern() {
    return pattern;
  }

  /** True for a {@code !pattern}, which re-includes what it matches. */
  public boolean exclusion() {
    return exclusion;
  }

  /**
   * Parses one line as {@code New} does: surrounding whitespace trimmed, the text cleaned, then a
   * leading {@code !} makes an exclusion. Returns empty for a blank line.
   */
  public static Optional<IgnorePattern> parse(String raw) {
    String p = raw.strip();
    if (p.isEmpty()) {
      return Optional.empty();
    }
    p = PathText.clean(p);
    boolean exclusion = false;
    if (p.charAt(0) == '!') {
      if (p.length() == 1) {
        throw new BadPatternException("illegal exclusion pattern: \"!\"");
      }
      exclusion = true;
      p = p.substring(1);
    }
    return Optional.of(new IgnorePattern(p, exclusion));
  }

  /** The pattern split on {@code /}: its depth for the older {@link IgnoreRules#matches}. */
  public List<String> dirs() {
    return List.of(pattern.split("/", -1));
  }

  /** How this pattern is matched. */
  public MatchType matchType() {
    return compiled().type;
  }

  /**
   * The regular expression in Go (RE2) syntax that upstream builds for a {@code REGEXP} pattern,
   * for comparison with upstream; empty for the other types. jbuild matches with an equivalent
   * {@link java.util.regex.Pattern}.
   */
  public Optional<String> goRegexp() {
    Compiled c = compiled();
    return c.type == MatchType.REGEXP ? Optional.of(c.goRegex) : Optional.empty();
  }

  /**
   * Whether this pattern alone matches {@code path} (not its parents). {@link BadPatternException}
   * if the pattern's regular expression cannot be compiled.
   */
  public boolean matches(String path) {
    Compiled c = compiled();
    return switch (c.type) {
      case EXACT -> path.equals(pattern);
      case PREFIX -> path.startsWith(pattern.substring(0, pattern.length() - 2));
      case SUFFIX -> {
        String suffix = pattern.substring(2);
        // "**/foo" also matches "foo" itself.
        yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
      }
      case REGEXP -> {
        if (c.javaRegex == null) {
          throw BadPatternException.syntax(pattern);
        }
        yield c.javaRegex.matcher(path).matches();
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IgnorePattern other && other.pattern.equals(pattern) && other.exclusion == exclusion;
  }

  @Override
  public int hashCode() {
    return pattern.hashCode() * 31 + Boolean.hashCode(exclusion);
  }

  @Override
  public String toString() {
    return exclusion ? "!" + pattern : pattern;
  }

  /** The classification and expressions; {@code javaRegex} is null when the expression does not compile. */
  private record Compiled(MatchType type, String goRegex, Pattern javaRegex) {}

  private Compiled compiled() {
    return compiled;
  }

  /** Classifies the pattern and builds its regular expressions (upstream's {@code compile}). */
  private static Compiled compile(String pattern) {
    int[] p = pattern.codePoints().toArray();
    StringBuilder go = new StringBuilder("^");
    StringBuilder java = new StringBuilder("^");
    MatchType type = MatchType.EXACT;
    boolean inClass = false;
    int i = 0;
    for (int n = 0; i < p.length; n++) {
      int ch = p[i++];
      if (inClass) {
        // Inside a class (already validated by Glob): copy for Go, escape every member for Java,
        // whose class syntax ("[[]", "&&") differs from RE2's.
        if (ch == ']') {
          inClass = false;
          go.append(']');
          java.append(']');
        } else if (ch == '\\') {
          int next = p[i++];
          go.append('\\').appendCodePoint(next);
          java.append(hex(next));
        } else if (ch == '-') {
          go.append('-');
          java.append('-');
        } else if (ch == '^' && (p[i - 2] == '[')) {
          go.append('^');
          java.append('^');
        } else {
          go.appendCodePoint(ch);
          java.append(hex(ch));
        }
        continue;
      }
      if (ch == '*') {
        if (i < p.length && p[i] == '*') {
          i++;
          // "**/" is "**": the slash belongs to it.
          if (i < p.length && p[i] == '/') {
            i++;
          }
          if (i >= p.length) {
            // A trailing "**" matches everything below, as in .gitignore.
            if (type == MatchType.EXACT) {
              type = MatchType.PREFIX;
            } else {
              go.append(".*");
              java.append(".*");
              type = MatchType.REGEXP;
            }
          } else {
            // Any number of directories, even none.
            go.append("(.*/)?");
            java.append("(?:.*/)?");
            type = MatchType.REGEXP;
          }
          if (n == 0) {
            type = MatchType.SUFFIX;
          }
        } else {
          go.append("[^/]*");
          java.append("[^/]*");
          type = MatchType.REGEXP;
        }
      } else if (ch == '?') {
        go.append("[^/]");
        java.append("[^/]");
        type = MatchType.REGEXP;
      } else if (ch == '\\') {
        // Glob already rejected a trailing backslash.
        int next = p[i++];
        go.append('\\').appendCodePoint(next);
        java.append(hex(next));
        // An escaped character can only be compared after unescaping: use the expression.
        type = MatchType.REGEXP;
      } else if (ch == '[') {
        inClass = true;
        go.append('[');
        java.append('[');
        type = MatchType.REGEXP;
      } else if (".+()|{}$".indexOf(ch) >= 0) {
        go.append('\\').appendCodePoint(ch);
        java.append('\\').appendCodePoint(ch);
      } else {
        go.appendCodePoint(ch);
        java.append(hex(ch));
      }
    }
    go.append('$');
    java.append('$');
    if (type != MatchType.REGEXP) {
      return new Compiled(type, null, null);
    }
    Pattern compiled;
    try {
      // DOTALL: unlike upstream's RE2 default, let "**" span names containing a newline.
      compiled = Pattern.compile(java.toString(), Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      compiled = null;
    }
    return new Compiled(type, go.toString(), compiled);
  }

  private static String hex(int ch) {
    if (Character.isLetterOrDigit(ch) || ch == '/' || ch == '_') {
      return Character.toString(ch);
    }
    return "\\x{" + Integer.toHexString(ch) + "}";
  }
}
