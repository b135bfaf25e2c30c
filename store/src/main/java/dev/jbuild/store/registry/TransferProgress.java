package dev.jbuild.store.registry;

/**
 * Receives how many bytes of one blob have moved so far, for progress bars. Called from the thread
 * doing the transfer, often (per buffer): implementations must be cheap and may throttle. The count
 * can go back to a smaller value when an upload restarts after a failure.
 */
@FunctionalInterface
public interface TransferProgress {
  /** Reports nothing. */
  TransferProgress NONE = bytes -> {};

  void transferred(long bytesSoFar);
}
