package dev.jbuild.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.StepId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressRendererTest {
  static final StepId RUN = new StepId(3, "0", 2, 5, "RUN echo hi");
  static final StepId NAMED = new StepId(4, "builder", 1, 2, "COPY a b");

  static List<BuildEvent> events() {
    return List.of(new BuildEvent.CacheMiss(RUN, "file a changed"), new BuildEvent.StepStarted(RUN),
        new BuildEvent.StepOutput(RUN, "hi", false), new BuildEvent.StepFinished(RUN, Duration.ofMillis(140), Optional.empty()),
        new BuildEvent.StepCached(NAMED),
        new BuildEvent.BuildFinished(Optional.of("sha256:ab"), Duration.ofMillis(1500), List.of("app:1")));
  }

  static String render(String mode) {
    StringWriter sw = new StringWriter();
    ProgressRenderer r = ProgressRenderer.of(mode, new PrintWriter(sw), Map.of());
    events().forEach(r::on);
    return sw.toString();
  }

  @Test
  void plainIsLineBasedLikeBuildKit() {
    assertEquals("""
        #3 cache miss: file a changed
        #3 [2/5] RUN echo hi
        #3 hi
        #3 DONE 0.1s
        #4 [builder 1/2] COPY a b
        #4 CACHED
        writing image sha256:ab done 1.5s
        naming to app:1 done
        """, render("plain"));
  }

  @Test
  void jsonIsOneObjectPerEvent() throws Exception {
    List<String> lines = render("json").lines().toList();
    assertEquals(6, lines.size());
    ObjectMapper m = new ObjectMapper();
    JsonNode started = m.readTree(lines.get(1));
    assertEquals("step_started", started.get("type").asText());
    assertEquals(3, started.get("step").asInt());
    assertEquals("RUN echo hi", started.get("text").asText());
    assertEquals("hi", m.readTree(lines.get(2)).get("line").asText());
    assertEquals("file a changed", m.readTree(lines.get(0)).get("reason").asText());
    assertEquals("sha256:ab", m.readTree(lines.get(5)).get("imageId").asText());
  }

  @Test
  void ttyRewritesAQuietStepInPlace() {
    StringWriter sw = new StringWriter();
    TtyRenderer r = new TtyRenderer(new PrintWriter(sw));
    r.on(new BuildEvent.StepStarted(RUN));
    r.on(new BuildEvent.StepFinished(RUN, Duration.ofMillis(200), Optional.empty()));
    assertTrue(sw.toString().contains("\033[1A\r\033[2K=> #3 [2/5] RUN echo hi 0.2s"), sw.toString());
  }
}
