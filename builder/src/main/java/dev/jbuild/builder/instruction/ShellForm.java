package dev.jbuild.builder.instruction;

import java.util.Objects;

/** A command given as text, run by the stage's SHELL ({@code /bin/sh -c} by default). */
public record ShellForm(String command) implements CommandForm {
  public ShellForm {
    Objects.requireNonNull(command, "command");
  }
}
