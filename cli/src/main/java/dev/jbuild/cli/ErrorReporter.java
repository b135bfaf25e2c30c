package dev.jbuild.cli;

import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error once, as one line {@code jbuild: <message>}, and maps it to an exit code:
 * 125 for jbuild's own errors, I/O errors and usage errors. The stack trace only with --debug.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final PrintWriter err;

  ErrorReporter(PrintWriter err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    err.println("jbuild: " + message(ex));
    if (debug(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.JBUILD_ERROR;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    err.println("jbuild: " + ex.getMessage());
    CommandLine cmd = ex.getCommandLine();
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return ExitCodes.JBUILD_ERROR;
  }

  static String message(Throwable ex) {
    if (ex instanceof JbuildException je) {
      return je.describe();
    }
    if (ex instanceof java.nio.file.NoSuchFileException nf) {
      return "no such file or directory: " + nf.getFile();
    }
    if (ex instanceof java.nio.file.AccessDeniedException ad) {
      return "permission denied: " + ad.getFile();
    }
    if (ex instanceof java.nio.file.FileAlreadyExistsException fe) {
      return "file exists: " + fe.getFile();
    }
    if (ex instanceof java.nio.file.DirectoryNotEmptyException dn) {
      return "directory not empty: " + dn.getFile();
    }
    if (ex instanceof IOException && ex.getMessage() != null) {
      return ex.getMessage();
    }
    if (ex instanceof IllegalArgumentException && ex.getMessage() != null) {
      return ex.getMessage();
    }
    String m = ex.getMessage();
    return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static boolean debug(ParseResult pr) {
    ParseResult root = pr;
    return root != null && root.hasMatchedOption("--debug");
  }
}
