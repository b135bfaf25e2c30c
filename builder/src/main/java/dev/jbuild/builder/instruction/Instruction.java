package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.SourceRange;

/**
 * A typed Buildfile instruction. The set is closed so that every consumer switches over all of them
 * without a default branch.
 */
public sealed interface Instruction
    permits From,
        Run,
        Cmd,
        Label,
        Maintainer,
        Expose,
        Env,
        Add,
        Copy,
        Entrypoint,
        Volume,
        User,
        Workdir,
        Arg,
        Onbuild,
        StopSignal,
        Healthcheck,
        Shell {

  /** Where the instruction is in its Buildfile. */
  SourceRange range();

  /** The instruction's keyword in upper case ({@code RUN}, {@code COPY}, ...). */
  default String keyword() {
    return switch (this) {
      case From f -> "FROM";
      case Run r -> "RUN";
      case Cmd c -> "CMD";
      case Label l -> "LABEL";
      case Maintainer m -> "MAINTAINER";
      case Expose e -> "EXPOSE";
      case Env e -> "ENV";
      case Add a -> "ADD";
      case Copy c -> "COPY";
      case Entrypoint e -> "ENTRYPOINT";
      case Volume v -> "VOLUME";
      case User u -> "USER";
      case Workdir w -> "WORKDIR";
      case Arg a -> "ARG";
      case Onbuild o -> "ONBUILD";
      case StopSignal s -> "STOPSIGNAL";
      case Healthcheck h -> "HEALTHCHECK";
      case Shell s -> "SHELL";
    };
  }
}
