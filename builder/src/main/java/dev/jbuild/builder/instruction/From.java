package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code FROM [--platform=P] image [AS name]}: starts a stage. {@code stageName} is lower-cased as
 * BuildKit does; {@code doc} is the comment above that describes the stage.
 */
public record From(
    String image,
    Optional<String> platform,
    Optional<String> stageName,
    String doc,
    SourceRange range)
    implements Instruction {
  public From {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(stageName, "stageName");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(range, "range");
  }
}
