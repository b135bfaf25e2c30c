package dev.jbuild.builder.instruction;

/**
 * {@code RUN --security=}: the default sandbox, or insecure (all capabilities, as {@code
 * --privileged}).
 */
public enum SecurityMode {
  SANDBOX,
  INSECURE
}
