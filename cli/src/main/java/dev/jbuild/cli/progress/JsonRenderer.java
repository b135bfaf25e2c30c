package dev.jbuild.cli.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.StepId;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per event and line, for programs: {@code {"type":"step_started","step":3,"stage":"0",
 * "index":2,"total":5,"text":"RUN ..."}}; types {@code step_started}, {@code step_cached}, {@code cache_miss}
 * ({@code reason}), {@code output} ({@code line}, {@code stream}), {@code step_finished} ({@code seconds},
 * {@code error}), {@code build_finished} ({@code imageId}, {@code tags}), {@code message}.
 */
public final class JsonRenderer implements ProgressRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;

  public JsonRenderer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (event) {
      case BuildEvent.StepStarted s -> step(m, "step_started", s.step());
      case BuildEvent.StepCached c -> step(m, "step_cached", c.step());
      case BuildEvent.CacheMiss c -> {
        step(m, "cache_miss", c.step());
        m.put("reason", c.reason());
      }
      case BuildEvent.StepOutput o -> {
        m.put("type", "output");
        m.put("step", o.step().number());
        m.put("stream", o.stderr() ? "stderr" : "stdout");
        m.put("line", o.line());
      }
      case BuildEvent.StepFinished f -> {
        step(m, "step_finished", f.step());
        m.put("seconds", f.took().toNanos() / 1e9);
        f.error().ifPresent(e -> m.put("error", e));
      }
      case BuildEvent.BuildFinished b -> {
        m.put("type", "build_finished");
        m.put("imageId", b.imageId().orElse(null));
        m.put("tags", b.tags());
        m.put("seconds", b.took().toNanos() / 1e9);
      }
      case BuildEvent.Message msg -> {
        m.put("type", "message");
        m.put("text", msg.text());
      }
    }
    try {
      out.println(JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("[internal error] cannot write a progress event", e);
    }
    out.flush();
  }

  private static void step(Map<String, Object> m, String type, StepId s) {
    m.put("type", type);
    m.put("step", s.number());
    m.put("stage", s.stage());
    m.put("index", s.index());
    m.put("total", s.total());
    m.put("text", s.text());
  }
}
