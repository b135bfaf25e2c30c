package dev.jbuild.store.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: a scheme ({@code Bearer}, {@code Basic}) and
 * its parameters ({@code realm}, {@code service}, {@code scope}).
 *
 * <pre>{@code
 * AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a:pull\"")
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#name-www-authenticate">RFC 9110 WWW-Authenticate</a>
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
  public AuthChallenge {
    if (scheme == null || scheme.isEmpty()) {
      throw new IllegalArgumentException("auth challenge needs a scheme");
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public boolean isBearer() {
    return scheme.equalsIgnoreCase("bearer");
  }

  public boolean isBasic() {
    return scheme.equalsIgnoreCase("basic");
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Parses a header value holding one or more challenges; parameter names are lower-cased. */
  public static List<AuthChallenge> parse(String header) {
    List<AuthChallenge> out = new ArrayList<>();
    Lexer lx = new Lexer(header == null ? "" : header);
    while (true) {
      lx.skip(" \t,");
      String scheme = lx.token();
      if (scheme.isEmpty()) {
        break;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        int mark = lx.pos;
        lx.skip(" \t,");
        String name = lx.token();
        lx.skip(" \t");
        if (name.isEmpty() || !lx.peek('=')) {
          // not a parameter: the next challenge's scheme (or the end)
          lx.pos = mark;
          break;
        }
        lx.pos++;
        lx.skip(" \t");
        if (lx.peek('=')) {
          // a token68 such as "abc==": skip it
          while (lx.peek('=')) {
            lx.pos++;
          }
          continue;
        }
        params.put(name.toLowerCase(Locale.ROOT), lx.peek('"') ? lx.quoted() : lx.token());
      }
      out.add(new AuthChallenge(scheme, params));
    }
    return out;
  }

  /** The challenges of every {@code WWW-Authenticate} header of a response. */
  public static List<AuthChallenge> parseAll(List<String> headers) {
    List<AuthChallenge> out = new ArrayList<>();
    headers.forEach(h -> out.addAll(parse(h)));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(scheme);
    String sep = " ";
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      sep = ",";
    }
    return b.toString();
  }

  private static final class Lexer {
    final String s;
    int pos;

    Lexer(String s) {
      this.s = s;
    }

    void skip(String chars) {
      while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    /** A token, loosely: anything up to whitespace, a comma, '=' or a quote (realms may be unquoted URLs). */
    String token() {
      int start = pos;
      while (pos < s.length() && " \t,=\"".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder b = new StringBuilder();
      pos++;
      while (pos < s.length() && s.charAt(pos) != '"') {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      pos++;
      return b.toString();
    }
  }
}
