package dev.jbuild.builder.exec;

import dev.jbuild.runtime.net.DnsFiles;
import dev.jbuild.runtime.oci.OciRuntime;
import dev.jbuild.runtime.oci.RuntimeProcess;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.HostLimits;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.ResolvedUser;
import dev.jbuild.runtime.spec.RuntimeSpec;
import dev.jbuild.runtime.spec.SpecGenerator;
import dev.jbuild.runtime.spec.UserResolver;
import dev.jbuild.runtime.spec.Volume;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one RUN command with runc in a mounted {@link StepRootfs}: generates the bundle's config.json (docker's
 * hardened defaults from the runtime module), bind-mounts the DNS files, joins the build's shared network
 * namespace when bridged, streams the output line by line and returns the exit status with the last lines.
 * The runc container is gone when this returns, whatever happened.
 */
public final class RunExecutor {
  /** Lines kept for the error message of a failing command. */
  public static final int TAIL = 10;

  private final OciRuntime runc;
  private final HostLimits limits;
  private final DnsFiles.HostFiles hostFiles;
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public RunExecutor(OciRuntime runc, HostLimits limits, DnsFiles.HostFiles hostFiles) {
    this.runc = runc;
    this.limits = limits;
    this.hostFiles = hostFiles;
  }

  /** Receives each output line as it comes. */
  @FunctionalInterface
  public interface Output {
    void line(String text, boolean stderr);
  }

  /**
   * What to run: argv, environment ({@code K=V}), user and workdir as the image says them, the network mode,
   * the shared namespace (bridge only) and its address, and extra volumes (RUN --mount).
   */
  public record Command(List<String> args, List<String> env, String user, String workdir, NetworkMode network,
      Optional<Path> netns, Optional<String> ip, List<Volume> volumes) {
    public Command {
      args = List.copyOf(args);
      env = List.copyOf(env);
      volumes = List.copyOf(volumes);
    }
  }

  /** How a command ended. */
  public record Outcome(int exitCode, List<String> lastLines) {}

  /** The mount points a command needs in its rootfs, for {@link MountStubs}. */
  public static List<MountStubs.Target> mountPoints(Command c) {
    List<MountStubs.Target> t = new ArrayList<>(List.of(new MountStubs.Target("/proc", true),
        new MountStubs.Target("/dev", true), new MountStubs.Target("/sys", true),
        new MountStubs.Target("/etc/resolv.conf", false), new MountStubs.Target("/etc/hosts", false),
        new MountStubs.Target("/etc/hostname", false)));
    for (Volume v : c.volumes()) {
      switch (v) {
        case Volume.Bind b -> t.add(new MountStubs.Target(b.destination(), java.nio.file.Files.isDirectory(b.source())));
        case Volume.Tmpfs f -> t.add(new MountStubs.Target(f.destination(), true));
        case Volume.Anonymous a -> t.add(new MountStubs.Target(a.destination(), true));
      }
    }
    return t;
  }

  /** Runs {@code c} in {@code rootfs}; the workdir is created if missing. */
  public Outcome run(StepRootfs rootfs, Command c, Output out) throws IOException, InterruptedException {
    Path root = rootfs.rootfs();
    ResolvedUser user = new UserResolver(root).resolve(c.user());
    RootfsPaths.mkdirs(root, c.workdir(), 0, 0);
    String hostname = "jbuild";
    List<RuntimeSpec.Mount> dns = DnsFiles.write(rootfs.dir().resolve("etc"), hostFiles, hostname, c.ip(), List.of(),
        List.of(), c.network() == NetworkMode.HOST);
    ContainerSpec spec = ContainerSpec.of(c.args()).withEnv(c.env()).withWorkdir(c.workdir()).withUser(c.user())
        .withHostname(hostname).withNetwork(c.network()).withVolumes(c.volumes());
    String id = "jbuild-step-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    RuntimeSpec rs = new SpecGenerator(limits).generate(spec,
        new SpecGenerator.Inputs("rootfs", user, hostname, c.network() == NetworkMode.BRIDGE ? c.netns() : Optional.empty(),
            dns, "/jbuild/" + id));
    rs.writeTo(rootfs.dir());
    Deque<String> tail = new ArrayDeque<>();
    // written before runc starts, so a build killed now leaves a container the next build can find
    java.nio.file.Files.writeString(rootfs.dir().resolve(BuildReaper.RUNC_ID), id);
    running.add(id);
    RuntimeProcess p;
    try {
      p = runc.run(id, rootfs.dir(), Stdio.pipe());
    } catch (IOException | RuntimeException e) {
      running.remove(id);
      throw e;
    }
    boolean done = false;
    try {
      p.stdin().close();
      Thread err = Thread.ofVirtual().start(() -> pump(p.stderr(), true, out, tail));
      pump(p.stdout(), false, out, tail);
      err.join();
      int code = p.waitFor();
      done = true;
      synchronized (tail) {
        return new Outcome(code, List.copyOf(tail));
      }
    } finally {
      if (!done) {
        cleanup(id, p);
      }
      running.remove(id);
    }
  }

  /**
   * Kills every command this executor is running (another stage failed, or the build was interrupted): their
   * {@link #run} calls then return and release their rootfs.
   */
  public void killAll() {
    for (String id : running) {
      try {
        runc.kill(id, "SIGKILL", true);
      } catch (IOException | RuntimeException e) {
        // it ended by itself meanwhile
      }
    }
  }

  private void cleanup(String id, RuntimeProcess p) {
    try {
      runc.kill(id, "SIGKILL", true);
    } catch (IOException | RuntimeException e) {
      // not running any more
    }
    try {
      p.waitFor();
    } catch (IOException | RuntimeException e) {
      // runc's own complaint about the kill
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      runc.delete(id, true);
    } catch (IOException | RuntimeException e) {
      // already deleted by runc run itself
    }
  }

  private static void pump(InputStream in, boolean stderr, Output out, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.line(line, stderr);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL) {
            tail.removeFirst();
          }
        }
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the process went away; its exit status tells the rest
    }
  }
}
