package dev.jbuild.builder.shell;

import java.util.ArrayList;
import java.util.Collections;
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
 * {@code ?}, {@code [...]} classes, {@code \}-escapes).
 *
 * <p>One deliberate difference from BuildKit: it reads {@code [} in a pattern literally, jbuild as
 * a shell does, a class when a closing {@code ]} follows ({@code ${V#[0-9]}} strips one digit).
 * A {@code [} without a closing {@code ]} is literal in both.
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
      Pattern re = shellPattern(pattern);
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
    Matcher m = shellPattern(patternTokens(pattern), greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /**
   * Removes the shortest (or longest) matching suffix: regular expressions only find leftmost
   * matches, so both the pattern (token by token, so escapes and classes stay intact) and the value
   * are reversed and the prefix is trimmed instead.
   */
  static String trimSuffix(String pattern, String value, boolean greedy) {
    List<Token> tokens = new ArrayList<>(patternTokens(pattern));
    Collections.reverse(tokens);
    Matcher m = shellPattern(tokens, greedy, true).matcher(reverse(value));
    return m.find() ? reverse(reverse(value).substring(m.end())) : value;
  }

  private static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = cps.length - 1; i >= 0; i--) {
      sb.appendCodePoint(cps[i]);
    }
    return sb.toString();
  }

  /** One element of a substitution pattern: a {@code *}, or the regular expression for one character. */
  private record Token(boolean star, String regex) {}

  private static Pattern shellPattern(List<Token> tokens, boolean greedy, boolean anchored) {
    StringBuilder re = new StringBuilder(anchored ? "^" : "");
    for (Token t : tokens) {
      re.append(t.star() ? (greedy ? ".*" : ".*?") : t.regex());
    }
    try {
      // DOTALL: a shell's '*' also runs over newlines in a value.
      return Pattern.compile(re.toString(), Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalStateException("[internal error] bad expression for shell pattern: " + re, e);
    }
  }

  /** {@code pattern} compiled for {@code ${V/pattern/repl}}: unanchored, longest {@code *} runs. */
  static Pattern shellPattern(String pattern) {
    return shellPattern(patternTokens(pattern), true, false);
  }

  /**
   * Splits a substitution pattern into tokens: {@code *} any run, {@code ?} one character, {@code
   * [...]} a class as in the shell ({@code !} or {@code ^} negates, a leading {@code ]} is a member,
   * ranges, {@code [:alpha:]}-style names, {@code \} quoting; without a closing {@code ]} the
   * {@code [} is literal), {@code \} before {@code * ? \ [ ]} quotes it and before a closing brace or
   * {@code /} is dropped (BuildKit: it only kept the character inside the {@code ${...}}); any other escape is an
   * error, as upstream. Everything else matches itself.
   */
  private static List<Token> patternTokens(String pattern) {
    int[] cps = pattern.codePoints().toArray();
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < cps.length; i++) {
      int ch = cps[i];
      switch (ch) {
        case '*' -> out.add(new Token(true, ""));
        case '?' -> out.add(new Token(false, "."));
        case '\\' -> {
          int next = i + 1 < cps.length ? cps[i + 1] : -1;
          if (next == '}' || next == '/') {
            continue;
          }
          if (next != '*' && next != '?' && next != '\\' && next != '[' && next != ']') {
            throw new ShellSyntaxException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                + (next < 0 ? "" : Character.toString(next)) + "'");
          }
          out.add(literal(next));
          i++;
        }
        case '[' -> {
          int end = classEnd(cps, i);
          if (end < 0) {
            out.add(literal(ch));
          } else {
            out.add(new Token(false, classRegex(cps, i + 1, end)));
            i = end;
          }
        }
        default -> out.add(literal(ch));
      }
    }
    return out;
  }

  private static Token literal(int ch) {
    return new Token(false, quoteChar(ch));
  }

  private static String quoteChar(int ch) {
    // A backslash before a non-alphanumeric character is always literal in java.util.regex.
    return Character.isLetterOrDigit(ch) ? Character.toString(ch) : "\\x{" + Integer.toHexString(ch) + "}";
  }

  private static final List<String> POSIX_CLASSES =
      List.of("alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit");

  /** The index of the ']' closing the class opened at {@code open}, or -1 if it is not closed. */
  private static int classEnd(int[] cps, int open) {
    int i = open + 1;
    if (i < cps.length && (cps[i] == '!' || cps[i] == '^')) {
      i++;
    }
    if (i < cps.length && cps[i] == ']') {
      i++;
    }
    for (; i < cps.length; i++) {
      if (cps[i] == '\\') {
        i++;
      } else if (cps[i] == '[' && i + 1 < cps.length && cps[i + 1] == ':') {
        int close = posixClassEnd(cps, i);
        if (close > 0) {
          i = close;
        }
      } else if (cps[i] == ']') {
        return i;
      }
    }
    return -1;
  }

  /** For "[:name:]" at {@code i}, the index of its final ']', or -1. */
  private static int posixClassEnd(int[] cps, int i) {
    for (int j = i + 2; j + 1 < cps.length; j++) {
      if (cps[j] == ':' && cps[j + 1] == ']') {
        return POSIX_CLASSES.contains(new String(cps, i + 2, j - i - 2)) ? j + 1 : -1;
      }
    }
    return -1;
  }

  /** A Java class for the members between {@code from} and {@code end} (exclusive). */
  private static String classRegex(int[] cps, int from, int end) {
    StringBuilder re = new StringBuilder("[");
    int i = from;
    boolean negated = cps[i] == '!' || cps[i] == '^';
    if (negated) {
      re.append('^');
      i++;
    }
    boolean any = false;
    while (i < end) {
      int lo;
      if (cps[i] == '[' && cps[i + 1] == ':' && posixClassEnd(cps, i) > 0) {
        int close = posixClassEnd(cps, i);
        String name = new String(cps, i + 2, close - i - 3);
        re.append("\\p{").append(name.equals("xdigit") ? "XDigit" : Character.toUpperCase(name.charAt(0)) + name.substring(1)).append('}');
        i = close + 1;
        any = true;
        continue;
      }
      if (cps[i] == '\\' && i + 1 < end) {
        lo = cps[i + 1];
        i += 2;
      } else {
        lo = cps[i];
        i++;
      }
      int hi = lo;
      if (i + 1 < end && cps[i] == '-') {
        // "a-z"; a '-' first or last is a member.
        if (cps[i + 1] == '\\' && i + 2 < end) {
          hi = cps[i + 2];
          i += 3;
        } else {
          hi = cps[i + 1];
          i += 2;
        }
      }
      if (lo <= hi) {
        re.append(quoteChar(lo));
        if (hi != lo) {
          re.append('-').append(quoteChar(hi));
        }
        any = true;
      }
    }
    if (!any) {
      // Only reversed ranges: the class matches nothing (or, negated, anything).
      return negated ? "." : "(?!)";
    }
    return re.append(']').toString();
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
