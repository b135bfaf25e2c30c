package dev.jbuild.builder.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the exec form of an instruction: the first JSON value of the text, which must be an
 * array. Like Go's {@code json.Decoder.Decode}, text after the value is ignored; a syntax error
 * means "not JSON" (the caller falls back to shell form), while a well-formed array holding
 * anything but strings is a hard error.
 */
final class JsonArray {
  private static final int MAX_DEPTH = 1000;

  /** Thrown for a syntactically valid array with a non-string element. */
  static final class NotStringArrayException extends Exception {
    private static final long serialVersionUID = 1L;

    NotStringArrayException() {
      super(
          "when using JSON array syntax, arrays must be comprised of strings only",
          null,
          false,
          false);
    }
  }

  private final String s;
  private int pos;
  private boolean allStrings = true;

  private JsonArray(String s) {
    this.s = s;
  }

  /**
   * The strings of the JSON array at the start of {@code text} (leading whitespace skipped), or
   * null when the text does not start with a well-formed JSON array.
   */
  static List<String> parse(String text) throws NotStringArrayException {
    String t = GoText.trimLeftSpace(text);
    if (!t.startsWith("[")) {
      return null;
    }
    JsonArray p = new JsonArray(t);
    List<String> out = new ArrayList<>();
    try {
      p.array(out, 0);
    } catch (SyntaxError e) {
      return null;
    }
    if (!p.allStrings) {
      throw new NotStringArrayException();
    }
    return out;
  }

  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError() {
      super(null, null, false, false);
    }
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private char peek() throws SyntaxError {
    if (pos >= s.length()) {
      throw new SyntaxError();
    }
    return s.charAt(pos);
  }

  /** Parses an array; when {@code out} is non-null the top-level string elements go there. */
  private void array(List<String> out, int depth) throws SyntaxError {
    if (depth > MAX_DEPTH) {
      throw new SyntaxError();
    }
    pos++; // '['
    ws();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      ws();
      if (peek() == '"') {
        String str = string();
        if (out != null) {
          out.add(str);
        }
      } else {
        if (out != null) {
          allStrings = false;
        }
        value(depth + 1);
      }
      ws();
      char c = peek();
      pos++;
      if (c == ']') {
        return;
      }
      if (c != ',') {
        throw new SyntaxError();
      }
    }
  }

  private void object(int depth) throws SyntaxError {
    if (depth > MAX_DEPTH) {
      throw new SyntaxError();
    }
    pos++; // '{'
    ws();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw new SyntaxError();
      }
      string();
      ws();
      if (peek() != ':') {
        throw new SyntaxError();
      }
      pos++;
      ws();
      value(depth + 1);
      ws();
      char c = peek();
      pos++;
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw new SyntaxError();
      }
    }
  }

  private void value(int depth) throws SyntaxError {
    char c = peek();
    switch (c) {
      case '[' -> array(null, depth);
      case '{' -> object(depth);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void literal(String word) throws SyntaxError {
    if (!s.startsWith(word, pos)) {
      throw new SyntaxError();
    }
    pos += word.length();
  }

  private void number() throws SyntaxError {
    if (peek() == '-') {
      pos++;
    }
    char c = peek();
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw new SyntaxError();
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      if (!Character.isDigit(peekDigit())) {
        throw new SyntaxError();
      }
      digits();
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (!Character.isDigit(peekDigit())) {
        throw new SyntaxError();
      }
      digits();
    }
  }

  private char peekDigit() throws SyntaxError {
    char c = peek();
    return c >= '0' && c <= '9' ? c : 'x';
  }

  private void digits() {
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
  }

  private String string() throws SyntaxError {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new SyntaxError();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = peek();
      pos++;
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> throw new SyntaxError();
      }
    }
  }

  private char hex4() throws SyntaxError {
    if (pos + 4 > s.length()) {
      throw new SyntaxError();
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      char h = s.charAt(pos + i);
      int d =
          h >= '0' && h <= '9'
              ? h - '0'
              : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0) {
        throw new SyntaxError();
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }
}
