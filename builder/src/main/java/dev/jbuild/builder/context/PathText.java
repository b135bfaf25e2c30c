package dev.jbuild.builder.context;

import java.util.ArrayList;
import java.util.List;

/**
 * Slash-separated path text handled the way Go's {@code path/filepath} does on Unix ({@code Clean},
 * {@code Dir}), because ignore patterns and COPY sources are specified in those terms.
 */
final class PathText {
  private PathText() {}

  /**
   * Go's {@code filepath.Clean}: one slash between elements, no {@code .} elements, inner {@code ..}
   * removed with the element before it, {@code ..} right after the root dropped, no trailing
   * slash; the empty result is {@code "."}.
   */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    List<String> out = new ArrayList<>();
    int leadingDotDots = 0;
    for (String elem : path.split("/", -1)) {
      if (elem.isEmpty() || elem.equals(".")) {
        continue;
      }
      if (elem.equals("..")) {
        if (out.size() > leadingDotDots) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add("..");
          leadingDotDots++;
        }
        continue;
      }
      out.add(elem);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** Go's {@code filepath.Dir}: everything before the last slash, cleaned. */
  static String dir(String path) {
    int i = path.lastIndexOf('/');
    return clean(path.substring(0, i + 1));
  }

  /** True when a cleaned relative path climbs out of its root. */
  static boolean escapes(String cleaned) {
    return cleaned.equals("..") || cleaned.startsWith("../");
  }
}
