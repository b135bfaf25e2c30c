package dev.jbuild.builder.context;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell file name pattern with the syntax and meaning of Go's {@code path/filepath.Match} on
 * Unix, as Dockerfile COPY sources and {@code .dockerignore} lines use it.
 *
 * <pre>
 * pattern:  { term }
 * term:     '*'          any run of characters except '/'
 *           '?'          one character except '/'
 *           '[' [ '^' ] { lo [ '-' hi ] } ']'   a class (lo, hi: a character or \c)
 *           c | '\' c    the character c itself
 * </pre>
 *
 * A pattern is parsed completely before matching, so a malformed pattern is always an error
 * ({@link BadPatternException}), whatever the name it is matched against. Instances are immutable.
 */
public final class Glob {
  private sealed interface Term permits Star, AnyChar, Literal, CharClass {}

  private record Star() implements Term {}

  private record AnyChar() implements Term {}

  private record Literal(int ch) implements Term {}

  private record CharClass(boolean negated, int[] lo, int[] hi) implements Term {
    boolean matches(int ch) {
      boolean in = false;
      for (int i = 0; i < lo.length; i++) {
        if (lo[i] <= ch && ch <= hi[i]) {
          in = true;
          break;
        }
      }
      return in != negated;
    }
  }

  private final String pattern;
  private final List<Term> terms;

  private Glob(String pattern, List<Term> terms) {
    this.pattern = pattern;
    this.terms = terms;
  }

  /** Parses {@code pattern}; {@link BadPatternException} if it is malformed. */
  public static Glob compile(String pattern) {
    int[] p = pattern.codePoints().toArray();
    List<Term> terms = new ArrayList<>();
    int i = 0;
    while (i < p.length) {
      int c = p[i];
      switch (c) {
        case '*' -> {
          terms.add(new Star());
          i++;
        }
        case '?' -> {
          terms.add(new AnyChar());
          i++;
        }
        case '\\' -> {
          if (i + 1 >= p.length) {
            throw BadPatternException.syntax(pattern);
          }
          terms.add(new Literal(p[i + 1]));
          i += 2;
        }
        case '[' -> i = parseClass(pattern, p, i + 1, terms);
        default -> {
          terms.add(new Literal(c));
          i++;
        }
      }
    }
    return new Glob(pattern, List.copyOf(terms));
  }

  /** Go's {@code filepath.Match(pattern, name)}: whether {@code name} matches the whole pattern. */
  public static boolean match(String pattern, String name) {
    return compile(pattern).matches(name);
  }

  /** True if {@code s} holds none of the characters that make a pattern more than a literal name. */
  public static boolean isLiteral(String s) {
    return s.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
  }

  /** Whether {@code name} matches this whole pattern. */
  public boolean matches(String name) {
    int[] s = name.codePoints().toArray();
    // Memo of failed (term, position) pairs keeps star-heavy patterns linear-ish.
    boolean[][] failed = new boolean[terms.size() + 1][s.length + 1];
    return matchFrom(0, s, 0, failed);
  }

  private boolean matchFrom(int t, int[] s, int pos, boolean[][] failed) {
    if (failed[t][pos]) {
      return false;
    }
    boolean ok;
    if (t == terms.size()) {
      ok = pos == s.length;
    } else {
      Term term = terms.get(t);
      ok = switch (term) {
        case Star st -> {
          // A star never crosses a separator: try every run of non-'/' characters.
          int end = pos;
          boolean found = matchFrom(t + 1, s, pos, failed);
          while (!found && end < s.length && s[end] != '/') {
            end++;
            found = matchFrom(t + 1, s, end, failed);
          }
          yield found;
        }
        case AnyChar a -> pos < s.length && s[pos] != '/' && matchFrom(t + 1, s, pos + 1, failed);
        case Literal l -> pos < s.length && s[pos] == l.ch() && matchFrom(t + 1, s, pos + 1, failed);
        // Go's classes (even negated ones) may match '/'.
        case CharClass cc -> pos < s.length && cc.matches(s[pos]) && matchFrom(t + 1, s, pos + 1, failed);
      };
    }
    if (!ok) {
      failed[t][pos] = true;
    }
    return ok;
  }

  /** Parses a class after its '[' and returns the index after its ']'. */
  private static int parseClass(String pattern, int[] p, int i, List<Term> terms) {
    boolean negated = false;
    if (i < p.length && p[i] == '^') {
      negated = true;
      i++;
    }
    List<int[]> ranges = new ArrayList<>();
    while (true) {
      if (i < p.length && p[i] == ']' && !ranges.isEmpty()) {
        i++;
        break;
      }
      int[] lo = classChar(pattern, p, i);
      int hi = lo[0];
      i = lo[1];
      if (p[i] == '-') {
        int[] h = classChar(pattern, p, i + 1);
        hi = h[0];
        i = h[1];
      }
      ranges.add(new int[] {lo[0], hi});
    }
    int[] los = ranges.stream().mapToInt(r -> r[0]).toArray();
    int[] his = ranges.stream().mapToInt(r -> r[1]).toArray();
    terms.add(new CharClass(negated, los, his));
    return i;
  }

  /**
   * One class character (Go's {@code getEsc}): {@code -} and {@code ]} must be escaped, and the
   * class must go on after it. Returns the character and the next index.
   */
  private static int[] classChar(String pattern, int[] p, int i) {
    if (i >= p.length || p[i] == '-' || p[i] == ']') {
      throw BadPatternException.syntax(pattern);
    }
    if (p[i] == '\\') {
      i++;
      if (i >= p.length) {
        throw BadPatternException.syntax(pattern);
      }
    }
    int ch = p[i];
    i++;
    if (i >= p.length) {
      throw BadPatternException.syntax(pattern);
    }
    return new int[] {ch, i};
  }

  @Override
  public String toString() {
    return pattern;
  }
}
