package dev.jbuild.runtime;

/**
 * Receives how long each phase of a container's life took (setup steps, the runtime call, release),
 * for {@code --debug} output and latency measurements. Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface Tracer {
  Tracer NONE = (phase, nanos) -> { };

  void phase(String phase, long nanos);
}
