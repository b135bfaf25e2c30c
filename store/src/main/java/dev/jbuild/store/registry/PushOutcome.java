package dev.jbuild.store.registry;

/** How a blob got into the target repository. */
public enum PushOutcome {
  /** The repository already had it (a HEAD said so): nothing was sent. */
  EXISTS,
  /** The registry mounted it from another repository: nothing was sent. */
  MOUNTED,
  /** Its bytes were uploaded. */
  UPLOADED
}
