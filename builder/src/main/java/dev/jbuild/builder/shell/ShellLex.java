package dev.jbuild.builder.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Buildfile word lexer: removes quotes, handles escapes and expands variables the way
 * BuildKit's {@code shell.Lex} does.
 *
 * <p>Rules: inside {@code '...'} everything is literal; inside {@code "..."} the escape character
 * only escapes {@code "}, {@code $} and itself (other escapes are kept as written) and {@code $}
 * expands; outside quotes the escape character makes the next character literal, and a final lone
 * escape character is dropped. Supported expansions: {@code $V ${V} ${V-w} ${V:-w} ${V+w} ${V:+w}
 * ${V?msg} ${V:?msg} ${V#p} ${V##p} ${V%p} ${V%%p} ${V/p/r} ${V//p/r}}, where {@code w}, {@code
 * msg}, {@code p} and {@code r} are themselves expanded and {@code p} is a shell pattern ({@code *},
 * {@code ?}, {@code \}-escapes; other characters, brackets included, match themselves).
 *
 * <pre>{@code
 * new ShellLex('\\').processWords("a\"${X}\" $X", Env.of(Map.of("X", "1 2")))  // ["a1 2", "1", "2"]
 * }</pre>
 */
public final class ShellLex {
  private final int escapeToken;

  /** A lexer whose escape character is {@code escapeToken}: {@code \} by default, or a backtick. */
  public ShellLex(char escapeToken) {
    if (escapeToken != '\\' && escapeToken != '`') {
      throw new IllegalArgumentException("escape token must be \\ or `, got " + escapeToken);
    }
    this.escapeToken = escapeToken;
  }

  /** One word: quotes removed, escapes handled, variables expanded, whitespace kept. */
  public String processWord(String word, Env env) {
    return run(word, env).text;
  }

  /** Several words: the same, then split on unquoted whitespace after expansion. */
  public List<String> processWords(String word, Env env) {
    return run(word, env).words;
  }

  /** Like {@link #processWord}, also reporting which variable names were referenced and set or unset. */
  public ProcessResult processWordWithMatches(String word, Env env) {
    Scan scan = new Scan(word, env);
    Piece p = scan.process(word);
    return new ProcessResult(p.text, scan.matched, scan.unmatched);
  }

  private Piece run(String word, Env env) {
    Objects.requireNonNull(word, "word");
    return new Scan(word, env).process(word);
  }

  /** Text plus the whitespace-split words of one scanned stretch. */
  private record Piece(String text, List<String> words) {}

  /**
   * Collects words while scanning: characters that came from unquoted text or unquoted expansions
   * split on whitespace; quoted text and escaped characters never do.
   */
  private static final class Words {
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(int ch) {
      if (isSpace(ch)) {
        // A quoted empty string ("") opens a word without text; BuildKit drops such words.
        if (inWord && word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      word.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
      return List.copyOf(words);
    }
  }

  /** One expansion in progress: a cursor over the word's code points plus what was looked up. */
  private final class Scan {
    private static final int EOF = -1;
    private final int[] cps;
    private final Env env;
    private int pos;
    // Set while scanning a pattern or replacement, where escapes must reach the pattern compiler.
    private boolean rawEscapes;
    final Set<String> matched = new LinkedHashSet<>();
    final Set<String> unmatched = new LinkedHashSet<>();

    Scan(String word, Env env) {
      this.cps = word.codePoints().toArray();
      this.env = Objects.requireNonNull(env, "env");
    }

    private int peek() {
      return pos < cps.length ? cps[pos] : EOF;
    }

    private int next() {
      return pos < cps.length ? cps[pos++] : EOF;
    }

    Piece process(String source) {
      try {
        return processStopOn(EOF, false);
      } catch (ShellSyntaxException e) {
        throw new ShellSyntaxException("failed to process " + quote(source) + ": " + e.getMessage(), e);
      }
    }

    /** Scans until {@code stop} (consumed) or the end of the word; reaching the end while looking for {@code stop} is an error. */
    private Piece processStopOn(int stop, boolean raw) {
      boolean saved = rawEscapes;
      rawEscapes = raw;
      try {
        StringBuilder result = new StringBuilder();
        Words words = new Words();
        while (peek() != EOF) {
          int ch = peek();
          if (stop != EOF && ch == stop) {
            next();
            return new Piece(result.toString(), words.finish());
          }
          if (ch == '$') {
            String v = processDollar();
            result.append(v);
            words.addString(v);
          } else if (ch == '\'') {
            String v = processSingleQuote();
            result.append(v);
            words.addRawString(v);
          } else if (ch == '"') {
            String v = processDoubleQuote();
            result.append(v);
            words.addRawString(v);
          } else {
            ch = next();
            if (ch == escapeToken) {
              if (rawEscapes) {
                words.addRawChar(ch);
                result.appendCodePoint(ch);
              }
              ch = next();
              if (ch == EOF) {
                // A lone escape at the very end is dropped.
                break;
              }
              words.addRawChar(ch);
            } else {
              words.addChar(ch);
            }
            result.appendCodePoint(ch);
          }
        }
        if (stop != EOF) {
          throw new ShellSyntaxException(
              "unexpected end of statement while looking for matching " + Character.toString(stop));
        }
        return new Piece(result.toString(), words.finish());
      } finally {
        rawEscapes = saved;
      }
    }

    private String processSingleQuote() {
      next();
      StringBuilder result = new StringBuilder();
      while (true) {
        int ch = next();
        if (ch == EOF) {
          throw new ShellSyntaxException("unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          return result.toString();
        }
        result.appendCodePoint(ch);
      }
    }

    private String processDoubleQuote() {
      next();
      StringBuilder result = new StringBuilder();
      while (true) {
        int ch = peek();
        if (ch == EOF) {
          throw new ShellSyntaxException("unexpected end of statement while looking for matching double-quote");
        }
        if (ch == '"') {
          next();
          return result.toString();
        }
        if (ch == '$') {
          result.append(processDollar());
          continue;
        }
        ch = next();
        if (ch == escapeToken) {
          int after = peek();
          if (after == EOF) {
            // Keep looping: the missing closing quote is reported above.
            if (rawEscapes) {
              result.appendCodePoint(ch);
            }
            continue;
          }
          if (after == '"' || after == '$' || after == escapeToken) {
            if (rawEscapes) {
              result.appendCodePoint(ch);
            }
            ch = next();
          }
          // Any other escape stays as written: JSON-ish text like "a\tb" keeps its backslash.
        }
        result.appendCodePoint(ch);
      }
    }

    private String processDollar() {
      next();
      if (peek() != '{') {
        String name = processName();
        if (name.isEmpty()) {
          return "$";
        }
        return lookup(name).orElse("");
      }
      next();
      int first = peek();
      if (first == EOF) {
        throw new ShellSyntaxException("syntax error: missing '}'");
      }
      if (first == '{' || first == '}' || first == ':') {
        throw new ShellSyntaxException("syntax error: bad substitution");
      }
      String name = processName();
      int ch = next();
      if (ch == EOF) {
        throw new ShellSyntaxException("syntax error: missing '}'");
      }
      if (ch == '}') {
        return lookup(name).orElse("");
      }
      if (ch == '/') {
        return processReplace(name);
      }
      String modifier = Character.toString(ch);
      boolean nullIsUnset = false;
      if (ch == ':') {
        nullIsUnset = true;
        ch = next();
        modifier += ch == EOF ? "" : Character.toString(ch);
      } else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
        throw new ShellSyntaxException("unsupported modifier (" + modifier + ") in substitution");
      }
      boolean patternOp = ch == '#' || ch == '%';
      if (nullIsUnset && patternOp) {
        throw new ShellSyntaxException("unsupported modifier (" + modifier + ") in substitution");
      }
      String word = stopOnBrace(patternOp);
      Optional<String> value = lookup(name);
      boolean unset = value.isEmpty() || (nullIsUnset && value.get().isEmpty());
      switch (ch) {
        case '-':
          return unset ? word : value.get();
        case '+':
          return unset ? "" : word;
        case '?':
          if (value.isEmpty()) {
            throw new ShellSyntaxException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
          }
          if (unset) {
            throw new ShellSyntaxException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
          }
          return value.get();
        case '#', '%':
          {
            // #/% remove the shortest match, ##/%% the longest.
            boolean greedy = !word.isEmpty() && word.charAt(0) == ch;
            String pattern = greedy ? word.substring(1) : word;
            String v = value.orElse("");
            return ch == '#' ? trimPrefix(pattern, v, greedy) : trimSuffix(pattern, v, greedy);
          }
        default:
          throw new ShellSyntaxException("unsupported modifier (" + modifier + ") in substitution");
      }
    }

    private String stopOnBrace(boolean raw) {
      try {
        return processStopOn('}', raw).text;
      } catch (ShellSyntaxException e) {
        if (peek() == EOF) {
          throw new ShellSyntaxException("syntax error: missing '}'", e);
        }
        throw e;
      }
    }

    private String processReplace(String name) {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      String pattern;
      try {
        pattern = processStopOn('/', true).text;
      } catch (ShellSyntaxException e) {
        if (peek() == EOF) {
          throw new ShellSyntaxException("syntax error: missing '/' in ${}", e);
        }
        throw e;
      }
      String replacement = stopOnBrace(true);
      String value = lookup(name).orElse("");
      Pattern re = shellPattern(pattern, true, false);
      Matcher m = re.matcher(value);
      String literal = Matcher.quoteReplacement(replacement);
      return all ? m.replaceAll(literal) : m.replaceFirst(literal);
    }

    /** A name: letters, digits and {@code _}; or a run of digits (positional); or one special character. */
    private String processName() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        int ch = peek();
        if (name.isEmpty() && Character.isDigit(ch)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.appendCodePoint(next());
          }
          return name.toString();
        }
        if (name.isEmpty() && isSpecialParam(ch)) {
          return Character.toString(next());
        }
        if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
          break;
        }
        name.appendCodePoint(next());
      }
      return name.toString();
    }

    private Optional<String> lookup(String name) {
      Optional<String> v = env.get(name);
      (v.isPresent() ? matched : unmatched).add(name);
      return v;
    }
  }

  private static boolean isSpecialParam(int ch) {
    return switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
      default -> false;
    };
  }

  /** Go's {@code unicode.IsSpace}, which (unlike {@link Character#isWhitespace}) includes NEL and NBSP. */
  static boolean isSpace(int ch) {
    return switch (ch) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> ch > 0xFF && Character.isSpaceChar(ch);
    };
  }

  /** Removes the shortest (or with {@code greedy} the longest) prefix of {@code value} matching {@code pattern}. */
  static String trimPrefix(String pattern, String value, boolean greedy) {
    Matcher m = shellPattern(pattern, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /**
   * Removes the shortest (or longest) matching suffix: regular expressions only find leftmost
   * matches, so both the pattern and the value are reversed and the prefix is trimmed instead.
   */
  static String trimSuffix(String pattern, String value, boolean greedy) {
    return reverse(trimPrefix(reversePattern(pattern), reverse(value), greedy));
  }

  private static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = cps.length - 1; i >= 0; i--) {
      sb.appendCodePoint(cps[i]);
    }
    return sb.toString();
  }

  /** Reverses a pattern but keeps each escape in front of the character it escapes ({@code a\*c} -> {@code c\*a}). */
  static String reversePattern(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    int i = 0;
    while (i <= last) {
      int outIdx = last - i;
      if (in[i] == '\\' && i != last) {
        out[outIdx - 1] = in[i];
        out[outIdx] = in[i + 1];
        i += 2;
      } else {
        out[outIdx] = in[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  /**
   * Compiles a substitution pattern: {@code *} is any run (lazy unless {@code greedy}), {@code ?}
   * one character, {@code \} escapes {@code * ? \} (and is dropped before {@code } /}, which needed
   * escaping only to stay inside the {@code ${...}}); everything else is literal.
   */
  static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) {
    StringBuilder re = new StringBuilder(pattern.length() + 4);
    if (anchored) {
      re.append('^');
    }
    int[] cps = pattern.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int ch = cps[i];
      switch (ch) {
        case '*' -> re.append(greedy ? ".*" : ".*?");
        case '?' -> re.append('.');
        case '\\' -> {
          int nextCh = i + 1 < cps.length ? cps[i + 1] : -1;
          if (nextCh == '}' || nextCh == '/') {
            continue;
          }
          if (nextCh != '*' && nextCh != '?' && nextCh != '\\') {
            throw new ShellSyntaxException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                + (nextCh < 0 ? "" : Character.toString(nextCh)) + "'");
          }
          re.append('\\').appendCodePoint(nextCh);
          i++;
        }
        default -> {
          // A backslash before a non-alphanumeric character is always literal in java.util.regex.
          if (!Character.isLetterOrDigit(ch)) {
            re.append('\\');
          }
          re.appendCodePoint(ch);
        }
      }
    }
    try {
      return Pattern.compile(re.toString(), Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new ShellSyntaxException("invalid pattern (" + pattern + ") in substitution: " + e.getDescription(), e);
    }
  }

  /** A Go-style double-quoted rendering for messages. */
  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
