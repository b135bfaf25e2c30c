package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ADD [--chown] [--chmod] [--checksum=D] [--keep-git-dir] [--link] [--exclude=P]...
 * [--unpack[=B]] src... dest}: like COPY, plus URLs, git repositories and archive unpacking ({@code
 * unpack} empty = the default: unpack local archives, not remote ones).
 */
public record Add(
    List<String> sources,
    List<InlineFile> inlineSources,
    String destination,
    Optional<String> chown,
    Optional<String> chmod,
    Optional<String> checksum,
    boolean keepGitDir,
    boolean link,
    List<String> excludes,
    Optional<Boolean> unpack,
    SourceRange range)
    implements Instruction {
  public Add {
    sources = List.copyOf(sources);
    inlineSources = List.copyOf(inlineSources);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    Objects.requireNonNull(checksum, "checksum");
    excludes = List.copyOf(excludes);
    Objects.requireNonNull(unpack, "unpack");
    Objects.requireNonNull(range, "range");
  }
}
