package dev.jbuild.store.oci;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of one JSON document (RFC 8259, UTF-8) into Jackson's tree nodes, for every document
 * jbuild reads: OCI manifests, indexes and configs, its own state files, CNI results.
 *
 * <p>Why not jackson-core's parser: its classes initialise {@code java.math.BigDecimal} for their
 * number limits, and on JDK 25 that static initialiser alone takes 17 ms with C1 (44 ms interpreted),
 * more than all the JSON work of a one-shot {@code jbuild run}. The trees are the same: integers as
 * {@link IntNode}, {@link LongNode} or {@link BigIntegerNode} by size, other numbers as {@link
 * DoubleNode}, objects in document order.
 *
 * <p>Refused, each with its line and column: anything outside the grammar (single quotes, trailing
 * commas, comments, leading zeros, bare words, NaN), a field name twice in one object, unescaped
 * control characters in strings, malformed UTF-8, data after the value, nesting deeper than {@value
 * #MAX_DEPTH} and numbers longer than {@value #MAX_NUMBER_LENGTH} characters (jackson-core's default
 * limits). A leading UTF-8 byte order mark is skipped.
 */
public final class JsonReader {
  /** The deepest nesting of objects and arrays read. */
  public static final int MAX_DEPTH = 1000;
  /** The longest number read, in characters. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] b;
  private final int end;
  private int pos;
  private int depth;

  private JsonReader(byte[] json) {
    this.b = json;
    this.end = json.length;
  }

  /** The document's value; null when the document holds nothing but whitespace. */
  public static JsonNode read(byte[] json) throws JsonParseException {
    JsonReader r = new JsonReader(json);
    if (r.end >= 3 && (r.b[0] & 0xff) == 0xef && (r.b[1] & 0xff) == 0xbb && (r.b[2] & 0xff) == 0xbf) {
      r.pos = 3;
    }
    r.skipWhitespace();
    if (r.pos == r.end) {
      return null;
    }
    JsonNode v = r.value();
    r.skipWhitespace();
    if (r.pos != r.end) {
      throw r.error(r.pos, "unexpected " + r.describe(r.pos) + " after the JSON value");
    }
    return v;
  }

  private JsonNode value() throws JsonParseException {
    int c = peek("a value");
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> TextNode.valueOf(string());
      case 't' -> literal("true", BooleanNode.TRUE);
      case 'f' -> literal("false", BooleanNode.FALSE);
      case 'n' -> literal("null", NullNode.getInstance());
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error(pos, "unexpected " + describe(pos) + " where a value should be");
      }
    };
  }

  private ObjectNode object() throws JsonParseException {
    enter();
    pos++;
    ObjectNode o = NODES.objectNode();
    skipWhitespace();
    if (peek("a field name or '}'") == '}') {
      pos++;
      depth--;
      return o;
    }
    while (true) {
      if (peek("a field name") != '"') {
        throw error(pos, "unexpected " + describe(pos) + " where a field name in double quotes should be");
      }
      int at = pos;
      String name = string();
      skipWhitespace();
      if (peek("':'") != ':') {
        throw error(pos, "unexpected " + describe(pos) + " where ':' should follow a field name");
      }
      pos++;
      skipWhitespace();
      JsonNode v = value();
      if (o.replace(name, v) != null) {
        throw error(at, "Duplicate field '" + name + "'");
      }
      if (!more('}', "',' or '}'")) {
        return o;
      }
    }
  }

  private ArrayNode array() throws JsonParseException {
    enter();
    pos++;
    ArrayNode a = NODES.arrayNode();
    skipWhitespace();
    if (peek("a value or ']'") == ']') {
      pos++;
      depth--;
      return a;
    }
    do {
      a.add(value());
    } while (more(']', "',' or ']'"));
    return a;
  }

  /**
   * After a member of an object or array: true past a ',' (and the whitespace after it), false past the
   * {@code close} that ends the container (left one level up); {@code want} says what may come.
   */
  private boolean more(char close, String want) throws JsonParseException {
    skipWhitespace();
    int c = peek(want);
    pos++;
    if (c == close) {
      depth--;
      return false;
    }
    if (c != ',') {
      throw error(pos - 1, "unexpected " + describe(pos - 1) + " where " + want + " should be");
    }
    skipWhitespace();
    return true;
  }

  private void enter() throws JsonParseException {
    if (++depth > MAX_DEPTH) {
      throw error(pos, "nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private JsonNode literal(String word, JsonNode node) throws JsonParseException {
    int n = word.length();
    for (int i = 0; i < n; i++) {
      if (pos + i >= end || b[pos + i] != word.charAt(i)) {
        throw error(pos, "unexpected " + describe(pos) + " where a value should be");
      }
    }
    // "nullx", "true1": the word must end there
    if (pos + n < end && isWordByte(b[pos + n])) {
      throw error(pos, "unexpected " + describe(pos) + " where a value should be");
    }
    pos += n;
    return node;
  }

  private static boolean isWordByte(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c < 0;
  }

  private JsonNode number() throws JsonParseException {
    int start = pos;
    if (b[pos] == '-') {
      pos++;
    }
    if (pos < end && b[pos] == '0') {
      pos++;
    } else if (pos < end && b[pos] >= '1' && b[pos] <= '9') {
      digits();
    } else {
      throw error(start, "a number needs a digit after '-'");
    }
    boolean integral = true;
    if (pos < end && b[pos] == '.') {
      integral = false;
      pos++;
      if (pos >= end || b[pos] < '0' || b[pos] > '9') {
        throw error(pos, "a number needs a digit after '.'");
      }
      digits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      integral = false;
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      if (pos >= end || b[pos] < '0' || b[pos] > '9') {
        throw error(pos, "a number needs a digit in its exponent");
      }
      digits();
    }
    if (pos < end && isWordByte(b[pos])) {
      // 01, 1x: leading zeros and letters run into the number
      throw error(start, "malformed number");
    }
    int len = pos - start;
    if (len > MAX_NUMBER_LENGTH) {
      throw error(start, "number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    String s = new String(b, start, len, StandardCharsets.ISO_8859_1);
    if (!integral) {
      return DoubleNode.valueOf(Double.parseDouble(s));
    }
    if (len <= 18) {
      long v = Long.parseLong(s);
      return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
    }
    BigInteger big = new BigInteger(s);
    return big.bitLength() < 64 ? LongNode.valueOf(big.longValue()) : BigIntegerNode.valueOf(big);
  }

  private void digits() {
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
  }

  /** A string from its opening quote; the position ends after its closing quote. */
  private String string() throws JsonParseException {
    int open = pos;
    pos++;
    int start = pos;
    // the common case: ASCII without escapes
    while (pos < end) {
      byte c = b[pos];
      if (c == '"') {
        pos++;
        return new String(b, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
      }
      if (c == '\\' || c < 0x20) { // c < 0: a byte of a multi-byte UTF-8 sequence
        break;
      }
      pos++;
    }
    StringBuilder sb = new StringBuilder(pos - start + 16);
    sb.append(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
    while (true) {
      if (pos >= end) {
        throw error(open, "a string that never ends");
      }
      int c = b[pos] & 0xff;
      if (c == '"') {
        pos++;
        return sb.toString();
      } else if (c == '\\') {
        escape(sb);
      } else if (c < 0x20) {
        throw error(pos, "an unescaped control character (code " + c + ") in a string");
      } else if (c < 0x80) {
        sb.append((char) c);
        pos++;
      } else {
        utf8(sb, c);
      }
    }
  }

  private void escape(StringBuilder sb) throws JsonParseException {
    int at = pos;
    if (pos + 1 >= end) {
      throw error(at, "a string that never ends");
    }
    int c = b[pos + 1];
    pos += 2;
    switch (c) {
      case '"' -> sb.append('"');
      case '\\' -> sb.append('\\');
      case '/' -> sb.append('/');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> {
        if (pos + 4 > end) {
          throw error(at, "a \\u escape needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
          int d = Character.digit(b[pos + i], 16);
          if (d < 0 || b[pos + i] < 0) {
            throw error(at, "a \\u escape needs four hex digits");
          }
          v = (v << 4) | d;
        }
        pos += 4;
        sb.append((char) v);
      }
      default -> throw error(at, "an unknown escape '\\" + (c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "?") + "'");
    }
  }

  /** One UTF-8 sequence whose first byte is {@code first} (>= 0x80), checked: no overlong forms, no surrogates. */
  private void utf8(StringBuilder sb, int first) throws JsonParseException {
    int at = pos;
    int n;
    int cp;
    int min;
    if (first >= 0xc2 && first <= 0xdf) {
      n = 1;
      cp = first & 0x1f;
      min = 0x80;
    } else if (first >= 0xe0 && first <= 0xef) {
      n = 2;
      cp = first & 0x0f;
      min = 0x800;
    } else if (first >= 0xf0 && first <= 0xf4) {
      n = 3;
      cp = first & 0x07;
      min = 0x10000;
    } else {
      throw error(at, "malformed UTF-8 (byte 0x" + Integer.toHexString(first) + ")");
    }
    if (pos + n >= end) {
      throw error(at, "malformed UTF-8 (a sequence cut short)");
    }
    for (int i = 1; i <= n; i++) {
      int cont = b[pos + i] & 0xff;
      if ((cont & 0xc0) != 0x80) {
        throw error(at, "malformed UTF-8 (byte 0x" + Integer.toHexString(cont) + " where a continuation byte should be)");
      }
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw error(at, "malformed UTF-8 (an overlong form, a surrogate or a code point above U+10FFFF)");
    }
    pos += n + 1;
    sb.appendCodePoint(cp);
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  /** The byte at the position; an error naming {@code want} at the end of the input. */
  private int peek(String want) throws JsonParseException {
    if (pos >= end) {
      throw error(pos, "unexpected end of input where " + want + " should be");
    }
    return b[pos];
  }

  private String describe(int at) {
    if (at >= end) {
      return "end of input";
    }
    int c = b[at] & 0xff;
    return c >= 0x21 && c < 0x7f ? "character '" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
  }

  /** A parse error at byte {@code at}, with its line and column (in bytes, from 1). */
  private JsonParseException error(int at, String message) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at && i < end; i++) {
      if (b[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonParseException((com.fasterxml.jackson.core.JsonParser) null, message + " (line " + line + ", column " + (at - lineStart + 1) + ")");
  }
}
