package dev.jbuild.builder.event;

/**
 * Which step an event is about: its number in the whole build ({@code #3}), its stage's display
 * name, its position in the stage ({@code [2/5]}) and the instruction as written.
 */
public record StepId(int number, String stage, int index, int total, String text) {
  public StepId {
    if (number < 1 || index < 1 || total < index) {
      throw new IllegalArgumentException("[internal error] bad step numbering " + number + " " + index + "/" + total);
    }
    text = text == null ? "" : text;
  }

  /** {@code [stage 2/5]} as progress output shows it. */
  public String position() {
    return "[" + stage + " " + index + "/" + total + "]";
  }
}
