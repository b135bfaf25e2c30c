package dev.jbuild.builder.event;

/** Receives the events of a build; called from the builder's threads, so implementations are thread-safe. */
@FunctionalInterface
public interface BuildListener {
  void on(BuildEvent event);

  /** A listener that ignores everything. */
  static BuildListener none() {
    return e -> { };
  }
}
