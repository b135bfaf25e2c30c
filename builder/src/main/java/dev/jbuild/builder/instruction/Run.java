package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/**
 * {@code RUN [--mount=...]... [--network=M] [--security=S] command}: runs a command in the stage's
 * filesystem. {@code files} are the heredoc bodies the command refers to.
 */
public record Run(
    CommandForm command,
    List<RunMount> mounts,
    NetworkMode network,
    SecurityMode security,
    List<InlineFile> files,
    SourceRange range)
    implements Instruction {
  public Run {
    Objects.requireNonNull(command, "command");
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(security, "security");
    files = List.copyOf(files);
    Objects.requireNonNull(range, "range");
  }
}
