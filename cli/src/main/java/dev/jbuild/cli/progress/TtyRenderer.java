package dev.jbuild.cli.progress;

import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.StepId;
import java.io.PrintWriter;

/**
 * Live progress for a terminal: like {@link PlainRenderer}, but a step whose header is still the last line
 * gets that line rewritten in place ({@code ESC[1A}, carriage return) with its timing, so quiet steps take
 * one line each; CACHED steps are dimmed and errors red.
 */
public final class TtyRenderer implements ProgressRenderer {
  private static final String UP_CLEAR = "\033[1A\r\033[2K";
  private static final String DIM = "\033[2m";
  private static final String RED = "\033[31m";
  private static final String BLUE = "\033[34m";
  private static final String RESET = "\033[0m";

  private final PrintWriter out;
  private StepId lastHeader;

  public TtyRenderer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    switch (event) {
      case BuildEvent.StepStarted s -> {
        out.println(BLUE + "=> " + RESET + ProgressRenderer.header(s.step()));
        lastHeader = s.step();
      }
      case BuildEvent.StepCached c -> {
        out.println(DIM + "=> CACHED " + ProgressRenderer.header(c.step()) + RESET);
        lastHeader = null;
      }
      case BuildEvent.CacheMiss m -> {
        out.println(DIM + "   cache miss: " + m.reason() + RESET);
        lastHeader = null;
      }
      case BuildEvent.StepOutput o -> {
        out.println(DIM + "   " + o.line() + RESET);
        lastHeader = null;
      }
      case BuildEvent.StepFinished f -> {
        String time = ProgressRenderer.seconds(f.took());
        String line = f.error().isPresent()
            ? RED + "=> ERROR " + ProgressRenderer.header(f.step()) + " " + time + RESET
            : "=> " + ProgressRenderer.header(f.step()) + " " + time;
        if (f.step().equals(lastHeader)) {
          out.print(UP_CLEAR);
        }
        out.println(line);
        lastHeader = null;
      }
      case BuildEvent.BuildFinished b -> b.imageId().ifPresent(id -> {
        out.println("=> writing image " + id + " " + ProgressRenderer.seconds(b.took()));
        b.tags().forEach(t -> out.println("=> naming to " + t));
      });
      case BuildEvent.Message m -> out.println(m.text());
    }
    out.flush();
  }
}
