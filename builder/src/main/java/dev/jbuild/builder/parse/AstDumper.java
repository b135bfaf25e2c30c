package dev.jbuild.builder.parse;

import java.util.List;

/**
 * Prints nodes in BuildKit's s-expression dump format, byte for byte: one line per instruction,
 * {@code (cmd ["--flag"] "arg" ...)}, every string quoted as Go's {@code %q} does, ONBUILD triggers
 * nested as {@code (onbuild (run "x"))}.
 */
public final class AstDumper {
  private AstDumper() {}

  /** The dump of a whole file (no trailing newline, as upstream trims it). */
  public static String dump(List<Node> children) {
    StringBuilder sb = new StringBuilder();
    for (Node n : children) {
      sb.append('(').append(dump(n)).append(")\n");
    }
    return GoText.trimSpace(sb.toString());
  }

  /** The dump of one instruction, without the surrounding parentheses. */
  public static String dump(Node node) {
    StringBuilder sb = new StringBuilder(node.command());
    if (!node.flags().isEmpty()) {
      sb.append(" [");
      for (int i = 0; i < node.flags().size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(GoText.quote(node.flags().get(i)));
      }
      sb.append(']');
    }
    node.nested().ifPresent(n -> sb.append(" (").append(dump(n)).append(')'));
    for (String a : node.args()) {
      sb.append(' ').append(GoText.quote(a));
    }
    return GoText.trimSpace(sb.toString());
  }
}
