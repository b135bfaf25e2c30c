package dev.jbuild.builder.event;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One thing that happened during a build. The set is closed so renderers handle every case. */
public sealed interface BuildEvent
    permits BuildEvent.StepStarted, BuildEvent.StepCached, BuildEvent.CacheMiss, BuildEvent.StepOutput,
        BuildEvent.StepFinished, BuildEvent.BuildFinished, BuildEvent.Message {

  /** A step began (after its cache lookup missed, or for a step that is never cached). */
  record StepStarted(StepId step) implements BuildEvent {}

  /** A step was answered from the build cache: nothing was mounted or run. */
  record StepCached(StepId step) implements BuildEvent {}

  /** Why a step missed the cache, compared with the previous build of the same step. */
  record CacheMiss(StepId step, String reason) implements BuildEvent {}

  /** One line of a RUN step's output ({@code stderr} says which stream). */
  record StepOutput(StepId step, String line, boolean stderr) implements BuildEvent {}

  /** A step ended; {@code error} is present when it failed. */
  record StepFinished(StepId step, Duration took, Optional<String> error) implements BuildEvent {}

  /** The build ended; {@code imageId} is present when it succeeded. */
  record BuildFinished(Optional<String> imageId, Duration took, List<String> tags) implements BuildEvent {
    public BuildFinished {
      tags = List.copyOf(tags);
    }
  }

  /** A note outside any step (warnings, stage skipped). */
  record Message(String text) implements BuildEvent {}
}
