package dev.jbuild.cli.progress;

import dev.jbuild.builder.event.BuildEvent;
import java.io.PrintWriter;

/** Line-based progress for logs: a header per step, its output prefixed with {@code #N}, then DONE or CACHED. */
public final class PlainRenderer implements ProgressRenderer {
  private final PrintWriter out;

  public PlainRenderer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    switch (event) {
      case BuildEvent.StepStarted s -> out.println(ProgressRenderer.header(s.step()));
      case BuildEvent.StepCached c -> out.println(ProgressRenderer.header(c.step()) + "\n#" + c.step().number() + " CACHED");
      case BuildEvent.CacheMiss m -> out.println("#" + m.step().number() + " cache miss: " + m.reason());
      case BuildEvent.StepOutput o -> out.println("#" + o.step().number() + " " + o.line());
      case BuildEvent.StepFinished f -> {
        if (f.error().isPresent()) {
          out.println("#" + f.step().number() + " ERROR " + ProgressRenderer.seconds(f.took()));
        } else {
          out.println("#" + f.step().number() + " DONE " + ProgressRenderer.seconds(f.took()));
        }
      }
      case BuildEvent.BuildFinished b -> {
        if (b.imageId().isPresent()) {
          out.println("writing image " + b.imageId().get() + " done " + ProgressRenderer.seconds(b.took()));
          b.tags().forEach(t -> out.println("naming to " + t + " done"));
        }
      }
      case BuildEvent.Message m -> out.println(m.text());
    }
    out.flush();
  }
}
