package dev.jbuild.builder.instruction;

/**
 * How RUN, CMD and ENTRYPOINT give their command: as one string for the shell ({@link ShellForm})
 * or as an argv from a JSON array ({@link ExecForm}).
 */
public sealed interface CommandForm permits ShellForm, ExecForm {}
