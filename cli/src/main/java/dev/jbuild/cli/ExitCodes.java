package dev.jbuild.cli;

/** jbuild's exit codes, as docker's: 125 for jbuild's own errors, 126/127 for commands that cannot run. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int JBUILD_ERROR = 125;
  public static final int NOT_EXECUTABLE = 126;
  public static final int NOT_FOUND = 127;

  private ExitCodes() {}
}
