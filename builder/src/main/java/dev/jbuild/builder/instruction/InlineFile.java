package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.Heredoc;
import java.util.Objects;

/**
 * A file written inline with a heredoc: its name (the delimiter), its raw body, whether variables
 * in it may be expanded, and whether it was written {@code <<-} (leading tabs to be removed).
 */
public record InlineFile(String name, String data, boolean expand, boolean chomp) {
  public InlineFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
  }

  static InlineFile of(Heredoc h) {
    return new InlineFile(h.name(), h.content(), h.expand(), h.chomp());
  }

  /** The body as the file gets it ({@code <<-} removes leading tabs). */
  public String effectiveData() {
    return chomp ? Heredoc.chompContent(data) : data;
  }
}
