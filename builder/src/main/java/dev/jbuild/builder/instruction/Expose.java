package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;
import java.util.List;
import java.util.Objects;

/**
 * {@code EXPOSE port[/proto] ...}: ports as written; {@link #portSpecs()} checks them (after
 * expansion).
 */
public record Expose(List<String> ports, SourceRange range) implements Instruction {
  public Expose {
    ports = List.copyOf(ports);
    Objects.requireNonNull(range, "range");
  }

  /** The parsed ports; throws BuildfileException (without range) for an invalid one. */
  public List<PortSpec> portSpecs() {
    return ports.stream().map(PortSpec::parse).toList();
  }
}
