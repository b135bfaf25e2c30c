package dev.jbuild.builder.parse;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed Buildfile instruction, before it is given a type: the keyword as written, the leading
 * {@code --flags} (quotes removed), the arguments as the parser's per-instruction rules split them,
 * whether they came from a JSON array, the heredocs attached to it, the joined text of the
 * instruction, and where it is.
 *
 * <p>{@code nested} holds the trigger of an ONBUILD instruction (which then has no args). {@code
 * comments} are the comment lines directly above the instruction (used for ARG/FROM documentation).
 * {@code sourceLine} is the physical line the instruction starts on, for error carets.
 */
public record Node(
    String keyword,
    List<String> flags,
    List<String> args,
    Optional<Node> nested,
    boolean json,
    List<Heredoc> heredocs,
    String original,
    SourceRange range,
    String sourceLine,
    List<String> comments) {

  public Node {
    Objects.requireNonNull(keyword, "keyword");
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    Objects.requireNonNull(nested, "nested");
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(sourceLine, "sourceLine");
    comments = List.copyOf(comments);
  }

  private static final Map<String, String> LOWER =
      Map.ofEntries(
          Map.entry("FROM", "from"),
          Map.entry("RUN", "run"),
          Map.entry("CMD", "cmd"),
          Map.entry("LABEL", "label"),
          Map.entry("MAINTAINER", "maintainer"),
          Map.entry("EXPOSE", "expose"),
          Map.entry("ENV", "env"),
          Map.entry("ADD", "add"),
          Map.entry("COPY", "copy"),
          Map.entry("ENTRYPOINT", "entrypoint"),
          Map.entry("VOLUME", "volume"),
          Map.entry("USER", "user"),
          Map.entry("WORKDIR", "workdir"),
          Map.entry("ARG", "arg"),
          Map.entry("ONBUILD", "onbuild"),
          Map.entry("STOPSIGNAL", "stopsignal"),
          Map.entry("HEALTHCHECK", "healthcheck"),
          Map.entry("SHELL", "shell"));

  /** The keyword in lower case ({@code run}, {@code copy}, ...), as instructions are matched. */
  public String command() {
    // the usual upper-case keywords skip toLowerCase: this is called for every node many times
    String known = LOWER.get(keyword);
    return known != null ? known : keyword.toLowerCase(Locale.ROOT);
  }

  /** This node with other heredocs (the parser reads their bodies after building the node). */
  Node withHeredocs(List<Heredoc> docs) {
    return new Node(
        keyword, flags, args, nested, json, docs, original, range, sourceLine, comments);
  }

  /**
   * The range of the first occurrence of {@code text} on the instruction's first line, or the
   * instruction's range when it is not there (for errors about one flag or word).
   */
  public SourceRange rangeOf(String text) {
    int idx = text.isEmpty() ? -1 : sourceLine.indexOf(text);
    if (idx < 0) {
      return range;
    }
    return range.withStartColumn(sourceLine.codePointCount(0, idx) + 1);
  }

  /** A {@link BuildfileException} at this node (or at {@code text} on its first line). */
  public BuildfileException error(String message, String text) {
    return new BuildfileException(message, rangeOf(text), sourceLine, null);
  }

  /** Places an error that has no range yet at this node. */
  public BuildfileException locate(BuildfileException e) {
    return e.located(range, sourceLine);
  }
}
