package dev.jbuild.runtime.oci;

import java.util.List;

/**
 * A process to start in a running container ({@code exec}).
 *
 * @param user {@code uid[:gid]} numeric, or empty for the container's user
 * @param cwd the working directory, or empty for the container's
 */
public record ExecSpec(List<String> args, List<String> env, String user, String cwd, boolean terminal) {
  public ExecSpec {
    if (args == null || args.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    args = List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
    user = user == null ? "" : user;
    cwd = cwd == null ? "" : cwd;
  }

  public static ExecSpec of(String... args) {
    return new ExecSpec(List.of(args), List.of(), "", "", false);
  }
}
