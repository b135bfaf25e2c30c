package dev.jbuild.cli;

import java.io.PrintWriter;

/** The entry point: builds the command line from the process environment and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = Jbuild.execute(out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
