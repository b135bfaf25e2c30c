package dev.jbuild.runtime;

import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.oci.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code docker run} overrides of an image's execution defaults, and their application to an
 * image config, giving the {@link ContainerSpec} to run.
 *
 * <p>The rules are docker's: {@code --entrypoint} replaces the image's Entrypoint (an empty string
 * removes it) and then drops the image's Cmd; command arguments after the image replace its Cmd;
 * the command is Entrypoint followed by Cmd. The environment is the image's Env with {@code -e} /
 * {@code --env-file} entries replacing a variable in place or appended. {@code -w} and {@code -u}
 * replace WorkingDir and User (a user name is resolved later, inside the container's rootfs).
 * StopSignal is taken over. Each image VOLUME that no {@code -v} or {@code --tmpfs} covers becomes an
 * anonymous volume. ExposedPorts are informational (nothing is published without {@code -p}) and
 * Healthcheck is not run.
 *
 * @param entrypoint {@code --entrypoint}, null for the image's
 * @param cmd the arguments after the image; empty for the image's Cmd
 * @param env {@code KEY=VALUE} entries from the flags, in order
 * @param workdir {@code -w}, null for the image's
 * @param user {@code -u}, null for the image's
 */
public record ImageRunSpec(String entrypoint, List<String> cmd, List<String> env, String workdir, String user) {
  public ImageRunSpec {
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    for (String e : env) {
      if (e.indexOf('=') <= 0) {
        throw new JbuildException("invalid environment entry " + e + " (expected KEY=VALUE)");
      }
    }
  }

  /** No overrides: the image as it is. */
  public static ImageRunSpec of(List<String> cmd) {
    return new ImageRunSpec(null, cmd, List.of(), null, null);
  }

  /** The command to run: entrypoint plus cmd under docker's override rules. */
  public List<String> args(ContainerConfig image) {
    List<String> ep;
    List<String> c;
    if (entrypoint != null) {
      ep = entrypoint.isEmpty() ? List.of() : List.of(entrypoint);
      c = cmd;
    } else {
      ep = image.entrypoint();
      c = cmd.isEmpty() ? image.cmd() : cmd;
    }
    List<String> args = new ArrayList<>(ep);
    args.addAll(c);
    if (args.isEmpty()) {
      throw new JbuildException("no command specified (the image has no Entrypoint or Cmd; give one after the image)");
    }
    return args;
  }

  /** The image's Env with this spec's entries replacing a variable in place or appended. */
  public List<String> environment(ContainerConfig image) {
    List<String> out = new ArrayList<>(image.env());
    for (String e : env) {
      String key = e.substring(0, e.indexOf('='));
      int at = -1;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).startsWith(key + "=")) {
          at = i;
          break;
        }
      }
      if (at >= 0) {
        out.set(at, e);
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Applies this spec to an image's execution defaults over a {@code base} spec that carries the
   * other flags (network, mounts, limits, security ...): sets args, env, workdir, user, stop signal,
   * and adds the image's volumes that {@code base}'s mounts do not cover.
   */
  public ContainerSpec applyTo(ContainerConfig image, ContainerSpec base) {
    String wd = workdir != null ? workdir : image.workingDir();
    String u = user != null ? user : image.user();
    String stop = base.stopSignal() != null ? base.stopSignal() : image.stopSignal();
    Set<String> covered = new LinkedHashSet<>();
    base.volumes().forEach(v -> covered.add(normalize(v.destination())));
    List<Volume> volumes = new ArrayList<>(base.volumes());
    for (String v : image.volumes()) {
      String dest = normalize(v);
      if (dest.startsWith("/") && !dest.equals("/") && covered.add(dest)) {
        volumes.add(new Volume.Anonymous(dest));
      }
    }
    return base.withArgs(args(image)).withEnv(environment(image)).withWorkdir(wd).withUser(u).withStopSignal(stop)
        .withVolumes(volumes);
  }

  private static String normalize(String p) {
    String s = p.replaceAll("/+", "/");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
