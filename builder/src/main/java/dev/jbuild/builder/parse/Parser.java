package dev.jbuild.builder.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Buildfile parser: turns text into {@link Node}s following BuildKit's Dockerfile parser
 * ({@code frontend/dockerfile/parser}) rule for rule, so that its test files dump identically.
 *
 * <pre>{@code
 * ParseResult r = Parser.parse("Buildfile", Files.readString(path));
 * }</pre>
 *
 * <p>Stateless and thread-safe; each call parses one file.
 */
public final class Parser {
  private static final Pattern DIRECTIVE =
      Pattern.compile(
          "^#[\\t\\n"
              + "\\f\\r"
              + " ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n"
              + "\\f\\r"
              + " ]*=[\\t\\n"
              + "\\f\\r"
              + " ]*(.+?)[\\t\\n"
              + "\\f\\r"
              + " ]*\\z",
          Pattern.DOTALL);
  private static final Set<String> DIRECTIVE_NAMES = Set.of("syntax", "escape", "check");
  private static final Set<String> HEREDOC_COMMANDS = Set.of("run", "copy", "add");
  private static final int MAX_ONBUILD_DEPTH = 16;

  private Parser() {}

  /** Parses {@code text}; ranges name {@code fileName}. */
  public static ParseResult parse(String fileName, String text) {
    return new Run(fileName, text).parse();
  }

  /** One parse: the cursor over the physical lines and the directive state. */
  private static final class Run {
    private final String file;
    private final List<String> raw = new ArrayList<>(); // lines with their "\n"
    private final List<String> display = new ArrayList<>(); // lines without line ending
    private int next; // index of the next unread line
    private char escape = '\\';
    private boolean directivesDone;
    private Optional<String> syntax = Optional.empty();
    private Optional<String> check = Optional.empty();
    private boolean escapeSeen;
    private final List<Warning> warnings = new ArrayList<>();

    Run(String file, String text) {
      this.file = file;
      int start = 0;
      while (start < text.length()) {
        int nl = text.indexOf('\n', start);
        int end = nl < 0 ? text.length() : nl + 1;
        raw.add(text.substring(start, end));
        start = end;
      }
      if (!raw.isEmpty() && raw.get(0).startsWith("\uFEFF")) {
        raw.set(0, raw.get(0).substring(1));
      }
      for (String r : raw) {
        display.add(trimNewline(r));
      }
    }

    ParseResult parse() {
      List<Node> children = new ArrayList<>();
      List<String> comments = new ArrayList<>();
      while (next < raw.size()) {
        int lineNo = next + 1;
        String rawLine = raw.get(next++);
        String token = GoText.trimLeftSpace(trimNewline(rawLine));
        boolean comment = isComment(rawLine);
        if (comment) {
          String c = GoText.trimSpace(token.substring(1));
          if (c.isEmpty()) {
            comments.clear();
          } else {
            comments.add(c);
          }
        }
        if (directive(token, lineNo) && !comments.isEmpty()) {
          comments.remove(comments.size() - 1);
        }
        if (comment) {
          token = "";
        }
        int startLine = lineNo;
        String[] cont = trimContinuation(token);
        boolean endOfLine = cont[1] == null;
        if (endOfLine && cont[0].isEmpty()) {
          continue;
        }
        StringBuilder buf = new StringBuilder(cont[0]);
        boolean emptyContinuation = false;
        while (!endOfLine && next < raw.size()) {
          String r = raw.get(next++);
          String t = trimNewline(r);
          directive(t, next);
          if (isComment(r)) {
            continue;
          }
          if (GoText.trimLeftSpace(t).isEmpty()) {
            emptyContinuation = true;
            continue;
          }
          String[] c = trimContinuation(t);
          endOfLine = c[1] == null;
          buf.append(c[0]);
        }
        String line = buf.toString();
        int endLine = next;
        String first = display.get(startLine - 1);
        int startCol =
            first.codePointCount(0, first.length() - GoText.trimLeftSpace(first).length()) + 1;
        SourceRange range = range(startLine, startCol, endLine);
        if (emptyContinuation) {
          warnings.add(
              new Warning(
                  "NoEmptyContinuation", "Empty continuation line found in: " + line, range));
        }
        Node node;
        try {
          node = nodeFromLine(line, range, first, List.copyOf(comments), 0);
        } catch (BuildfileException e) {
          throw e.located(range, first);
        }
        if (line.contains("<<") && canContainHeredoc(node)) {
          List<Heredoc> docs;
          try {
            docs = HeredocWords.fromLine(line);
          } catch (BuildfileException e) {
            throw e.located(range, first);
          }
          List<Heredoc> read = new ArrayList<>();
          for (Heredoc h : docs) {
            StringBuilder body = new StringBuilder();
            boolean terminated = false;
            while (next < raw.size()) {
              String r = raw.get(next++);
              String candidate = trimNewline(r);
              if (h.chomp()) {
                candidate = stripLeadingTabs(candidate);
              }
              if (candidate.equals(h.name())) {
                terminated = true;
                break;
              }
              body.append(r);
            }
            if (!terminated) {
              throw new BuildfileException(
                  "unterminated heredoc "
                      + GoText.quote(h.name())
                      + " (no line "
                      + GoText.quote(h.name())
                      + " before the end of the file)",
                  range,
                  first,
                  null);
            }
            read.add(h.withContent(body.toString()));
          }
          endLine = next;
          node = node.withHeredocs(read);
          range = range(startLine, startCol, endLine);
          node =
              new Node(
                  node.keyword(),
                  node.flags(),
                  node.args(),
                  node.nested(),
                  node.json(),
                  node.heredocs(),
                  node.original(),
                  range,
                  first,
                  node.comments());
        }
        children.add(node);
        comments.clear();
      }
      if (children.isEmpty()) {
        int last = Math.max(1, raw.size());
        throw new BuildfileException(
            "file with no instructions",
            SourceRange.at(file, last, 1),
            display.isEmpty() ? "" : display.get(last - 1),
            null);
      }
      Directives d = new Directives(syntax, escape, check);
      return new ParseResult(file, children, warnings, d, display);
    }

    private SourceRange range(int startLine, int startCol, int endLine) {
      String last = display.get(endLine - 1);
      int endCol = Math.max(1, last.codePointCount(0, last.length()));
      if (endLine == startLine && endCol < startCol) {
        endCol = startCol;
      }
      return new SourceRange(
          file, new SourcePos(startLine, startCol), new SourcePos(endLine, endCol));
    }

    /** Looks at a line for a parser directive; true when it was one. */
    private boolean directive(String token, int lineNo) {
      if (directivesDone) {
        return false;
      }
      Matcher m = DIRECTIVE.matcher(token);
      if (!m.matches()) {
        directivesDone = true;
        return false;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (!DIRECTIVE_NAMES.contains(key)) {
        directivesDone = true;
        return false;
      }
      String value = m.group(2);
      String line = display.get(lineNo - 1);
      SourceRange at = SourceRange.at(file, lineNo, 1);
      boolean seen =
          switch (key) {
            case "escape" -> escapeSeen;
            case "syntax" -> syntax.isPresent();
            default -> check.isPresent();
          };
      if (seen) {
        throw new BuildfileException(
            "only one " + key + " parser directive can be used", at, line, null);
      }
      switch (key) {
        case "escape" -> {
          if (!value.equals("`") && !value.equals("\\")) {
            throw new BuildfileException(
                "invalid escape token '" + value + "' does not match ` or \\", at, line, null);
          }
          escape = value.charAt(0);
          escapeSeen = true;
        }
        case "syntax" -> syntax = Optional.of(value);
        default -> check = Optional.of(value);
      }
      return true;
    }

    /**
     * Removes a trailing escape character (and the blanks after it) unless it is itself escaped:
     * returns {text, null} at the end of an instruction, {text, ""} when it continues.
     */
    private String[] trimContinuation(String line) {
      int end = line.length();
      while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
        end--;
      }
      if (end > 0
          && line.charAt(end - 1) == escape
          && (end == 1 || line.charAt(end - 2) != escape)) {
        return new String[] {line.substring(0, end - 1), ""};
      }
      return new String[] {line, null};
    }

    private Node nodeFromLine(
        String line, SourceRange range, String first, List<String> comments, int depth) {
      String trimmed = GoText.trimSpace(line);
      int split = 0;
      while (split < trimmed.length() && !GoText.isArgSpace(trimmed.charAt(split))) {
        split++;
      }
      String keyword = trimmed.substring(0, split);
      List<String> flags = new ArrayList<>();
      String args = "";
      if (split < trimmed.length()) {
        int restStart = split;
        while (restStart < trimmed.length() && GoText.isArgSpace(trimmed.charAt(restStart))) {
          restStart++;
        }
        args = GoText.trimSpace(extractFlags(trimmed.substring(restStart), flags));
      }
      String cmd = keyword.toLowerCase(Locale.ROOT);
      List<String> out = new ArrayList<>();
      Optional<Node> nested = Optional.empty();
      boolean json = false;
      switch (cmd) {
        case "add", "copy", "volume" -> {
          List<String> j = json(args);
          if (j != null) {
            out.addAll(j);
            json = true;
          } else {
            whitespaceDelimited(args, out);
          }
        }
        case "run", "cmd", "entrypoint", "shell" -> json = maybeJson(args, out);
        case "from", "expose" -> whitespaceDelimited(args, out);
        case "env", "label" -> nameVal(args, cmd.toUpperCase(Locale.ROOT), out);
        case "arg" -> out.addAll(words(args));
        case "maintainer", "user", "workdir", "stopsignal" -> {
          if (!args.isEmpty()) {
            out.add(args);
          }
        }
        case "healthcheck" -> json = healthcheck(args, out);
        case "onbuild" -> {
          if (!args.isEmpty()) {
            if (depth >= MAX_ONBUILD_DEPTH) {
              // only one level means anything (ONBUILD ONBUILD is refused later); stop runaway
              // recursion here
              throw new BuildfileException(
                  "ONBUILD nested more than " + MAX_ONBUILD_DEPTH + " levels deep");
            }
            nested = Optional.of(nodeFromLine(args, range, first, List.of(), depth + 1));
          }
        }
        default -> out.add("");
      }
      return new Node(keyword, flags, out, nested, json, List.of(), line, range, first, comments);
    }

    private boolean canContainHeredoc(Node node) {
      Node n = node.nested().orElse(node);
      return HEREDOC_COMMANDS.contains(n.command()) && !n.json();
    }

    /** The JSON array at the start of {@code rest}, null if it is not one. */
    private List<String> json(String rest) {
      try {
        return JsonArray.parse(rest);
      } catch (JsonArray.NotStringArrayException e) {
        throw new BuildfileException(e.getMessage());
      }
    }

    private boolean maybeJson(String rest, List<String> out) {
      if (rest.isEmpty()) {
        return false;
      }
      List<String> j = json(rest);
      if (j != null) {
        out.addAll(j);
        return true;
      }
      out.add(rest);
      return false;
    }

    private boolean healthcheck(String rest, List<String> out) {
      int sep = 0;
      while (sep < rest.length() && !GoText.isSpace(rest.charAt(sep))) {
        sep++;
      }
      if (sep == 0) {
        return false;
      }
      int nxt = sep;
      while (nxt < rest.length() && GoText.isSpace(rest.charAt(nxt))) {
        nxt++;
      }
      out.add(rest.substring(0, sep));
      return maybeJson(rest.substring(nxt), out);
    }

    private static void whitespaceDelimited(String rest, List<String> out) {
      if (rest.isEmpty()) {
        return;
      }
      int start = 0;
      int i = 0;
      while (i <= rest.length()) {
        if (i == rest.length() || GoText.isArgSpace(rest.charAt(i))) {
          out.add(rest.substring(start, i));
          while (i < rest.length() && GoText.isArgSpace(rest.charAt(i))) {
            i++;
          }
          start = i;
          if (i == rest.length()) {
            // a trailing separator gives one more (empty) field, as Go's regexp.Split does
            if (rest.length() > 0 && GoText.isArgSpace(rest.charAt(rest.length() - 1))) {
              out.add("");
            }
            break;
          }
          continue;
        }
        i++;
      }
    }

    /** ENV and LABEL: old form {@code K v w} or new form {@code k=v k2=v2}. */
    private void nameVal(String rest, String key, List<String> out) {
      List<String> words = words(rest);
      if (words.isEmpty()) {
        return;
      }
      if (!words.get(0).contains("=")) {
        int i = 0;
        while (i < rest.length() && !GoText.isArgSpace(rest.charAt(i))) {
          i++;
        }
        if (i == rest.length()) {
          throw new BuildfileException(key + " must have two arguments");
        }
        int j = i;
        while (j < rest.length() && GoText.isArgSpace(rest.charAt(j))) {
          j++;
        }
        out.add(rest.substring(0, i));
        out.add(rest.substring(j));
        out.add("");
        return;
      }
      for (String w : words) {
        int eq = w.indexOf('=');
        if (eq < 0) {
          throw new BuildfileException(
              "Syntax error - can't find = in "
                  + GoText.quote(w)
                  + ". Must be of the form: name=value");
        }
        out.add(w.substring(0, eq));
        out.add(w.substring(eq + 1));
        out.add("=");
      }
    }

    /** Quote-aware word split; quotes and escapes are kept in the words. */
    List<String> words(String rest) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      boolean inQuote = false;
      boolean blankOk = false;
      int quote = 0;
      int n = rest.length();
      int pos = 0;
      while (true) {
        if (pos >= n) {
          if ((inWord || inQuote) && (blankOk || word.length() > 0)) {
            words.add(word.toString());
          }
          break;
        }
        int ch = rest.codePointAt(pos);
        int w = Character.charCount(ch);
        if (!inWord && !inQuote) {
          if (GoText.isSpace(ch)) {
            pos += w;
            continue;
          }
          inWord = true;
        }
        if (inWord) {
          if (GoText.isSpace(ch)) {
            inWord = false;
            if (blankOk || word.length() > 0) {
              words.add(word.toString());
            }
            word.setLength(0);
            blankOk = false;
            pos += w;
            continue;
          }
          if (ch == '\'' || ch == '"') {
            quote = ch;
            blankOk = true;
            inWord = false;
            inQuote = true;
          }
          if (ch == escape) {
            if (pos + w == n) {
              pos += w;
              continue;
            }
            word.appendCodePoint(ch);
            pos += w;
            ch = rest.codePointAt(pos);
            w = Character.charCount(ch);
          }
          word.appendCodePoint(ch);
          pos += w;
          continue;
        }
        // in quote
        if (ch == quote) {
          inQuote = false;
          inWord = true;
        }
        if (ch == escape && quote != '\'') {
          if (pos + w == n) {
            inQuote = false;
            inWord = true;
            pos += w;
            continue;
          }
          pos += w;
          word.appendCodePoint(ch);
          ch = rest.codePointAt(pos);
          w = Character.charCount(ch);
        }
        word.appendCodePoint(ch);
        pos += w;
      }
      return words;
    }
  }

  /**
   * Takes the leading {@code --flag} words off {@code line} into {@code flags} (quotes and
   * backslash escapes removed, a bare {@code --} ends them) and returns the rest. The escape is
   * always a backslash here, whatever the escape directive says, as in BuildKit.
   */
  static String extractFlags(String line, List<String> flags) {
    StringBuilder word = new StringBuilder();
    int n = line.length();
    int pos = 0;
    boolean inWord = false;
    boolean inQuote = false;
    boolean blankOk = false;
    char quote = 0;
    while (true) {
      if (pos >= n) {
        if ((inWord || inQuote)
            && !word.toString().equals("--")
            && (blankOk || word.length() > 0)) {
          flags.add(word.toString());
        }
        return "";
      }
      char ch = line.charAt(pos);
      if (!inWord && !inQuote) {
        if (GoText.isSpace(ch)) {
          pos++;
          continue;
        }
        if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
          return line.substring(pos);
        }
        inWord = true;
      }
      if (inWord) {
        if (GoText.isSpace(ch)) {
          inWord = false;
          if (word.toString().equals("--")) {
            return line.substring(pos);
          }
          if (blankOk || word.length() > 0) {
            flags.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          pos++;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inWord = false;
          inQuote = true;
          pos++;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == n) {
            pos++;
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
        pos++;
        continue;
      }
      if (ch == quote) {
        inQuote = false;
        inWord = true;
        pos++;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == n) {
          inQuote = false;
          inWord = true;
          pos++;
          continue;
        }
        pos++;
        ch = line.charAt(pos);
      }
      word.append(ch);
      pos++;
    }
  }

  static boolean isComment(String line) {
    String t = GoText.trimLeftSpace(line);
    return !t.isEmpty() && t.charAt(0) == '#';
  }

  static String trimNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  static String stripLeadingTabs(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '\t') {
      i++;
    }
    return s.substring(i);
  }

  /**
   * Quote-aware word split with the default escape, as ENV, LABEL and ARG use (for tests and
   * tools).
   */
  public static List<String> parseWords(String rest, char escape) {
    Run r = new Run("", "");
    r.escape = escape;
    return r.words(rest);
  }
}
