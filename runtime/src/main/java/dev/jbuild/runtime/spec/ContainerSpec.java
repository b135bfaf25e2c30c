package dev.jbuild.runtime.spec;

import dev.jbuild.runtime.net.HostEntry;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.store.JbuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to run and how, independent of any image format: the runtime's input, which the CLI fills from
 * an image config plus the {@code jbuild run} flags.
 *
 * <p>{@code user} is a USER value resolved later inside the rootfs; {@code hostname} null means the
 * short container id; {@code stopSignal} null means SIGTERM.
 */
public record ContainerSpec(
    List<String> args,
    List<String> env,
    String workdir,
    String user,
    String hostname,
    String stopSignal,
    List<Volume> volumes,
    List<PortMapping> ports,
    NetworkMode network,
    Limits limits,
    Security security,
    boolean terminal,
    List<String> dns,
    List<HostEntry> extraHosts) {

  public ContainerSpec {
    if (args == null || args.isEmpty()) {
      throw new JbuildException("no command specified");
    }
    args = List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
    for (String e : env) {
      if (e.indexOf('=') <= 0) {
        throw new JbuildException("invalid environment entry " + e + " (expected KEY=VALUE)");
      }
    }
    workdir = workdir == null || workdir.isEmpty() ? "/" : workdir;
    if (!workdir.startsWith("/")) {
      throw new JbuildException("working directory must be absolute: " + workdir);
    }
    user = user == null ? "" : user;
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    ports = ports == null ? List.of() : List.copyOf(ports);
    network = network == null ? NetworkMode.BRIDGE : network;
    limits = limits == null ? Limits.NONE : limits;
    security = security == null ? Security.DEFAULT : security;
    dns = dns == null ? List.of() : List.copyOf(dns);
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    if (!ports.isEmpty() && network != NetworkMode.BRIDGE) {
      throw new JbuildException("published ports need the bridge network, not " + network);
    }
  }

  /** A spec with docker's defaults that runs {@code args}. */
  public static ContainerSpec of(List<String> args) {
    return new ContainerSpec(args, null, null, null, null, null, null, null, null, null, null, false, null, null);
  }

  public static ContainerSpec of(String... args) {
    return of(List.of(args));
  }

  public ContainerSpec withArgs(List<String> a) {
    return new ContainerSpec(a, env, workdir, user, hostname, stopSignal, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withEnv(List<String> e) {
    return new ContainerSpec(args, e, workdir, user, hostname, stopSignal, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  /** {@code env} plus {@code KEY=VALUE}, replacing an earlier value of KEY. */
  public ContainerSpec withEnv(String key, String value) {
    List<String> e = new ArrayList<>(env);
    e.removeIf(x -> x.startsWith(key + "="));
    e.add(key + "=" + value);
    return withEnv(e);
  }

  public ContainerSpec withWorkdir(String w) {
    return new ContainerSpec(args, env, w, user, hostname, stopSignal, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withUser(String u) {
    return new ContainerSpec(args, env, workdir, u, hostname, stopSignal, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withHostname(String h) {
    return new ContainerSpec(args, env, workdir, user, h, stopSignal, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withStopSignal(String s) {
    return new ContainerSpec(args, env, workdir, user, hostname, s, volumes, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withVolumes(List<Volume> v) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, v, ports, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withPorts(List<PortMapping> p) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, p, network, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withNetwork(NetworkMode n) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, n, limits, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withLimits(Limits l) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, network, l, security, terminal, dns, extraHosts);
  }

  public ContainerSpec withSecurity(Security s) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, network, limits, s, terminal, dns, extraHosts);
  }

  public ContainerSpec withTerminal(boolean t) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, network, limits, security, t, dns, extraHosts);
  }

  public ContainerSpec withDns(List<String> d) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, network, limits, security, terminal, d, extraHosts);
  }

  public ContainerSpec withExtraHosts(List<HostEntry> h) {
    return new ContainerSpec(args, env, workdir, user, hostname, stopSignal, volumes, ports, network, limits, security, terminal, dns, h);
  }

  /** The stop signal, SIGTERM unless the image or flags chose another. */
  public String effectiveStopSignal() {
    return Objects.requireNonNullElse(stopSignal, "SIGTERM");
  }
}
