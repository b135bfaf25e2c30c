package dev.jbuild.builder.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds heredoc markers ({@code <<EOF}, {@code <<-'EOF'}, {@code 3<<EOF}) the way BuildKit does:
 * the instruction line is split into shell words keeping quotes and escapes, each word is matched
 * against {@code ^(\d*)<<(-?)\s*([^<]*)$}, and the delimiter is lexed twice (with and without
 * quotes) to learn whether any part of it was quoted.
 *
 * <p>Variables are never expanded here: with no environment, {@code $X} stays as written (BuildKit
 * lexes with SkipUnsetEnv), so {@code <<$EOF} ends at a line {@code $EOF}.
 */
public final class HeredocWords {
  private static final Pattern HEREDOC =
      Pattern.compile("^(\\d*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)$", Pattern.DOTALL);

  private HeredocWords() {}

  /**
   * The heredoc a single word starts, or null if it starts none ({@code <<EOF sh}, {@code <<}).
   *
   * @throws BuildfileException if the delimiter has an unterminated quote
   */
  public static Heredoc parse(String word) {
    Matcher m = HEREDOC.matcher(word);
    if (!m.matches()) {
      return null;
    }
    String rest = m.group(3);
    if (rest.isEmpty()) {
      return null;
    }
    int fd = 0;
    if (!m.group(1).isEmpty()) {
      try {
        fd = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        // Go's ParseUint error is ignored upstream: an absurd descriptor becomes 0
        fd = 0;
      }
    }
    List<String> words = split(rest, false, false);
    if (words == null) {
      throw new BuildfileException(
          "invalid heredoc delimiter " + GoText.quote(rest) + ": unterminated quote");
    }
    if (words.size() != 1) {
      return null;
    }
    List<String> raw = split(rest, true, false);
    String name = words.get(0);
    boolean expand = quotes(name) == quotes(raw.get(0));
    return new Heredoc(name, "", expand, m.group(2).equals("-"), fd);
  }

  /**
   * The heredocs a whole instruction line starts, in order (none when the line cannot be split, as
   * BuildKit ignores lexing errors here).
   */
  static List<Heredoc> fromLine(String line) {
    List<String> words = split(line, true, true);
    List<Heredoc> docs = new ArrayList<>();
    if (words == null) {
      return docs;
    }
    for (String w : words) {
      Heredoc h = parse(w);
      if (h != null) {
        docs.add(h);
      }
    }
    return docs;
  }

  private static int quotes(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        n++;
      }
    }
    return n;
  }

  /**
   * Splits text into shell words with backslash escapes; null on an unterminated quote. {@code
   * rawQuotes} keeps quote characters, {@code rawEscapes} keeps backslashes. A {@code <<} (and an
   * optional {@code -}) swallows the blanks after it so that {@code << EOF} stays one word.
   */
  static List<String> split(String text, boolean rawQuotes, boolean rawEscapes) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (GoText.isSpace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      switch (c) {
        case '\'' -> {
          int end = text.indexOf('\'', i + 1);
          if (end < 0) {
            return null;
          }
          if (rawQuotes) {
            word.append(text, i, end + 1);
          } else {
            word.append(text, i + 1, end);
          }
          i = end + 1;
        }
        case '"' -> {
          if (rawQuotes) {
            word.append('"');
          }
          i++;
          boolean closed = false;
          while (i < n) {
            char d = text.charAt(i);
            if (d == '"') {
              closed = true;
              i++;
              break;
            }
            if (d == '\\' && i + 1 < n) {
              char e = text.charAt(i + 1);
              if (rawEscapes) {
                word.append(d).append(e);
              } else if (e == '"' || e == '$' || e == '\\') {
                word.append(e);
              } else {
                word.append(d).append(e);
              }
              i += 2;
              continue;
            }
            word.append(d);
            i++;
          }
          if (!closed) {
            return null;
          }
          if (rawQuotes) {
            word.append('"');
          }
        }
        case '\\' -> {
          if (i + 1 < n) {
            if (rawEscapes) {
              word.append('\\');
            }
            word.append(text.charAt(i + 1));
            i += 2;
          } else {
            i++;
          }
        }
        case '<' -> {
          if (i + 1 < n && text.charAt(i + 1) == '<') {
            word.append("<<");
            i += 2;
            if (i < n && text.charAt(i) == '-') {
              word.append('-');
              i++;
            }
            while (i < n && GoText.isSpace(text.charAt(i))) {
              word.append(text.charAt(i));
              i++;
            }
          } else {
            word.append('<');
            i++;
          }
        }
        default -> {
          word.append(c);
          i++;
        }
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
