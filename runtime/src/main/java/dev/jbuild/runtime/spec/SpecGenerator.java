package dev.jbuild.runtime.spec;

import dev.jbuild.runtime.spec.RuntimeSpec.Capabilities;
import dev.jbuild.runtime.spec.RuntimeSpec.Cpu;
import dev.jbuild.runtime.spec.RuntimeSpec.DeviceRule;
import dev.jbuild.runtime.spec.RuntimeSpec.Linux;
import dev.jbuild.runtime.spec.RuntimeSpec.Memory;
import dev.jbuild.runtime.spec.RuntimeSpec.Mount;
import dev.jbuild.runtime.spec.RuntimeSpec.Namespace;
import dev.jbuild.runtime.spec.RuntimeSpec.Pids;
import dev.jbuild.runtime.spec.RuntimeSpec.Process;
import dev.jbuild.runtime.spec.RuntimeSpec.Resources;
import dev.jbuild.runtime.spec.RuntimeSpec.Rlimit;
import dev.jbuild.runtime.spec.RuntimeSpec.Root;
import dev.jbuild.runtime.spec.RuntimeSpec.Seccomp;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link ContainerSpec} plus what the runtime prepared (the rootfs, the resolved user, the
 * network namespace file, the DNS files) into the {@link RuntimeSpec} of the bundle, applying
 * {@link SpecDefaults} and the security options.
 */
public final class SpecGenerator {
  private final HostLimits hostLimits;

  public SpecGenerator(HostLimits hostLimits) {
    this.hostLimits = hostLimits;
  }

  /**
   * What the runtime supplies besides the container spec.
   *
   * @param rootfs the root path as config.json names it (relative to the bundle, or absolute)
   * @param hostname the hostname to set (the caller applies the short-id default)
   * @param netns the network namespace file to join, empty for a fresh one (none) or host networking
   * @param extraMounts bind mounts of /etc/resolv.conf, /etc/hosts and /etc/hostname
   * @param cgroupsPath the cgroup path runc creates, e.g. {@code /jbuild/<id>}
   */
  public record Inputs(String rootfs, ResolvedUser user, String hostname, Optional<Path> netns, List<Mount> extraMounts,
      String cgroupsPath) {
    public Inputs {
      extraMounts = List.copyOf(extraMounts);
    }
  }

  public RuntimeSpec generate(ContainerSpec spec, Inputs in) throws IOException {
    Security sec = spec.security();
    List<String> caps = capabilities(sec);
    Set<String> capSet = Set.copyOf(caps);

    List<String> env = environment(spec, in.user(), in.hostname());
    List<Rlimit> rlimits = List.of(hostLimits.clamp(new Rlimit("RLIMIT_NOFILE", SpecDefaults.NOFILE, SpecDefaults.NOFILE)));
    Process process = new Process(spec.terminal() ? Boolean.TRUE : null, in.user().toSpec(), spec.args(), env,
        spec.workdir(), Capabilities.of(caps), rlimits, sec.noNewPrivileges() && !sec.privileged() ? Boolean.TRUE : null);

    List<Mount> mounts = new ArrayList<>(SpecDefaults.mounts(sec.privileged()));
    if (spec.network() == NetworkMode.HOST) {
      // A sysfs mount must belong to the network namespace; with the host's stack bind the host's.
      mounts.replaceAll(m -> m.destination().equals("/sys")
          ? new Mount("/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", sec.privileged() ? "rw" : "ro"))
          : m);
    }
    mounts.addAll(in.extraMounts());
    for (Volume v : spec.volumes()) {
      mounts.add(switch (v) {
        case Volume.Bind b -> new Mount(b.destination(), "bind", b.source().toString(),
            List.of("rbind", b.readOnly() ? "ro" : "rw", "rprivate"));
        case Volume.Tmpfs t -> new Mount(t.destination(), "tmpfs", "tmpfs", tmpfsOptions(t.options()));
      });
    }

    List<Namespace> namespaces = new ArrayList<>();
    SpecDefaults.NAMESPACES.forEach(n -> namespaces.add(new Namespace(n, null)));
    if (spec.network() != NetworkMode.HOST) {
      namespaces.add(new Namespace("network", in.netns().map(Path::toString).orElse(null)));
    }

    Map<String, String> sysctl = new LinkedHashMap<>();
    if (spec.network() != NetworkMode.HOST) {
      // As docker 20.10+: ping without CAP_NET_RAW, and low ports without CAP_NET_BIND_SERVICE, are
      // harmless inside the container's own network namespace.
      sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
      sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
    }

    Seccomp seccomp = seccomp(sec, capSet);
    Linux linux = new Linux(namespaces,
        sec.privileged() ? null : SpecDefaults.MASKED_PATHS,
        sec.privileged() ? null : SpecDefaults.READONLY_PATHS,
        resources(spec.limits(), sec.privileged()),
        in.cgroupsPath(),
        seccomp,
        null,
        sysctl.isEmpty() ? null : sysctl,
        null);
    return new RuntimeSpec(RuntimeSpec.OCI_VERSION, process,
        new Root(in.rootfs(), sec.readOnlyRootfs() ? Boolean.TRUE : null), in.hostname(), mounts, linux);
  }

  private static List<String> tmpfsOptions(String extra) {
    List<String> o = new ArrayList<>(List.of("nosuid", "nodev", "mode=1777"));
    if (!extra.isEmpty()) {
      o.addAll(List.of(extra.split(",")));
    }
    return o;
  }

  static List<String> environment(ContainerSpec spec, ResolvedUser user, String hostname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", SpecDefaults.DEFAULT_PATH);
    env.put("HOSTNAME", hostname);
    for (String e : spec.env()) {
      int i = e.indexOf('=');
      env.put(e.substring(0, i), e.substring(i + 1));
    }
    env.putIfAbsent("HOME", user.home());
    if (spec.terminal()) {
      env.putIfAbsent("TERM", "xterm");
    }
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /** The effective capability set: docker's default (or all, if privileged) with the adds and drops applied. */
  public static List<String> capabilities(Security sec) {
    if (sec.privileged()) {
      return SpecDefaults.ALL_CAPABILITIES;
    }
    Set<String> caps = new LinkedHashSet<>(SpecDefaults.CAPABILITIES);
    List<String> drops = sec.capDrop().stream().map(SpecGenerator::capName).toList();
    List<String> adds = sec.capAdd().stream().map(SpecGenerator::capName).toList();
    if (drops.contains("CAP_ALL")) {
      caps.clear();
    } else {
      caps.removeAll(drops);
    }
    if (adds.contains("CAP_ALL")) {
      caps.addAll(SpecDefaults.ALL_CAPABILITIES);
    } else {
      caps.addAll(adds);
    }
    return SpecDefaults.ALL_CAPABILITIES.stream().filter(caps::contains).toList();
  }

  /** {@code net_admin}, {@code NET_ADMIN} and {@code CAP_NET_ADMIN} all mean CAP_NET_ADMIN. */
  static String capName(String s) {
    String n = s.strip().toUpperCase(Locale.ROOT);
    if (!n.startsWith("CAP_")) {
      n = "CAP_" + n;
    }
    if (!n.equals("CAP_ALL") && !SpecDefaults.ALL_CAPABILITIES.contains(n)) {
      throw new JbuildException("unknown capability " + s);
    }
    return n;
  }

  private static Seccomp seccomp(Security sec, Set<String> caps) throws IOException {
    if (sec.privileged() || "unconfined".equals(sec.seccomp())) {
      return null;
    }
    if (sec.seccomp() != null) {
      return SeccompProfiles.fromFile(Path.of(sec.seccomp()), caps);
    }
    return SeccompProfiles.defaultProfile(caps);
  }

  private static Resources resources(Limits l, boolean privileged) {
    // Deny every device, then runc adds its default allowlist (null, zero, full, tty, urandom, random, pts).
    List<DeviceRule> devices = List.of(new DeviceRule(privileged, null, null, null, "rwm"));
    Memory memory = l.memoryBytes() == null ? null : new Memory(l.memoryBytes(), l.memoryBytes());
    Cpu cpu = l.cpus() == null ? null
        : new Cpu(null, Math.round(l.cpus() * Limits.CPU_PERIOD_US), Limits.CPU_PERIOD_US);
    Pids pids = l.pidsLimit() == null ? null : new Pids(l.pidsLimit());
    return new Resources(devices, memory, cpu, pids);
  }
}
