package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code COPY [--from=S] [--chown=U:G] [--chmod=M] [--link] [--parents] [--exclude=P]... src...
 * dest}: {@code sources} are paths (context or stage), {@code inlineSources} heredoc files.
 */
public record Copy(
    List<String> sources,
    List<InlineFile> inlineSources,
    String destination,
    Optional<String> from,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean parents,
    List<String> excludes,
    SourceRange range)
    implements Instruction {
  public Copy {
    sources = List.copyOf(sources);
    inlineSources = List.copyOf(inlineSources);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    excludes = List.copyOf(excludes);
    Objects.requireNonNull(range, "range");
  }
}
