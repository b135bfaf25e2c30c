package dev.jbuild.cli;

import java.io.PrintWriter;

/** The entry point: builds the command line from the process environment and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new ProcessStream(System.out);
    PrintWriter err = new ProcessStream(System.err);
    int code = Jbuild.execute(out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
