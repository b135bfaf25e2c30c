package dev.jbuild.builder.instruction;

import java.util.List;

/** A command given as a JSON array: the argv itself, no shell involved. */
public record ExecForm(List<String> args) implements CommandForm {
  public ExecForm {
    args = List.copyOf(args);
  }
}
