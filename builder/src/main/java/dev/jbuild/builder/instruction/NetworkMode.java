package dev.jbuild.builder.instruction;

/** {@code RUN --network=}: the stage's default network, none at all, or the host's. */
public enum NetworkMode {
  DEFAULT,
  NONE,
  HOST
}
