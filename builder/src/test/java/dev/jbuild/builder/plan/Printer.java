package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Instruction;

/** Prints an instruction for golden files: its record form without the source range. */
final class Printer {
  private Printer() {}

  static String print(Instruction in) {
    return in.toString().replaceAll(", range=[^,\\]]*", "");
  }
}
