package dev.jbuild.builder.parse;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One here-document attached to a RUN, COPY or ADD instruction: its delimiter name, its raw body
 * (every line with its newline, the terminator line excluded, tabs kept even for {@code <<-}),
 * whether variables in it may be expanded (false when any part of the delimiter was quoted),
 * whether it was written {@code <<-}, and the file descriptor digits before {@code <<} (0 if none).
 */
public record Heredoc(
    String name, String content, boolean expand, boolean chomp, int fileDescriptor) {
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\\t+");

  public Heredoc {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
    if (fileDescriptor < 0) {
      throw new IllegalArgumentException("[internal error] negative heredoc file descriptor");
    }
  }

  /**
   * The body as a file gets it: with leading tabs removed from every line when written {@code <<-}.
   */
  public String effectiveContent() {
    return chomp ? chompContent(content) : content;
  }

  /** Removes the leading tabs (only tabs) of every line, as {@code <<-} does. */
  public static String chompContent(String content) {
    return LEADING_TABS.matcher(content).replaceAll("");
  }

  Heredoc withContent(String body) {
    return new Heredoc(name, body, expand, chomp, fileDescriptor);
  }
}
