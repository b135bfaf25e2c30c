package dev.jbuild.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecGeneratorTest {
  private static final HostLimits LIMITS = HostLimits.parse("""
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max open files            20000                20000                files
      Max processes             63459                63459                processes
      """);

  private static RuntimeSpec gen(ContainerSpec spec) throws IOException {
    return new SpecGenerator(LIMITS).generate(spec, new SpecGenerator.Inputs("rootfs", ResolvedUser.ROOT, "host1",
        Optional.of(Path.of("/run/jbuild/netns/n")), List.of(), "/jbuild/x"));
  }

  @Test
  void dockerDefaults() throws IOException {
    RuntimeSpec rs = gen(ContainerSpec.of("sh"));
    assertEquals(SpecDefaults.CAPABILITIES.stream().sorted().toList(),
        rs.process().capabilities().effective().stream().sorted().toList());
    assertEquals(14, rs.process().capabilities().bounding().size());
    assertNull(rs.process().capabilities().ambient());
    assertEquals(Boolean.TRUE, rs.process().noNewPrivileges());
    assertEquals(SpecDefaults.MASKED_PATHS, rs.linux().maskedPaths());
    assertEquals(SpecDefaults.READONLY_PATHS, rs.linux().readonlyPaths());
    assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), rs.linux().namespaces().stream().map(RuntimeSpec.Namespace::type).toList());
    assertEquals("/run/jbuild/netns/n", rs.linux().namespaces().get(4).path());
    assertEquals("SCMP_ACT_ERRNO", rs.linux().seccomp().defaultAction());
    assertEquals(38L, rs.linux().seccomp().defaultErrnoRet());
    assertEquals("host1", rs.hostname());
    assertTrue(rs.process().env().contains("PATH=" + SpecDefaults.DEFAULT_PATH));
    assertTrue(rs.process().env().contains("HOME=/root"));
    List<String> dests = rs.mounts().stream().map(RuntimeSpec.Mount::destination).toList();
    assertTrue(dests.containsAll(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys")), dests.toString());
  }

  @Test
  void rlimitsNeverExceedTheCallersHardLimit() throws IOException {
    RuntimeSpec.Rlimit nofile = gen(ContainerSpec.of("sh")).process().rlimits().get(0);
    assertEquals("RLIMIT_NOFILE", nofile.type());
    assertEquals(20000, nofile.hard());
    assertEquals(20000, nofile.soft());
    RuntimeSpec.Rlimit unlimited = HostLimits.parse("").clamp(new RuntimeSpec.Rlimit("RLIMIT_NOFILE", 1 << 20, 1 << 20));
    assertEquals(1 << 20, unlimited.hard());
  }

  @Test
  void capAddDropAndPrivileged() throws IOException {
    List<String> caps = SpecGenerator.capabilities(Security.DEFAULT.withCaps(List.of("net_admin", "CAP_SYS_PTRACE"), List.of("chown", "NET_RAW")));
    assertTrue(caps.contains("CAP_NET_ADMIN"));
    assertTrue(caps.contains("CAP_SYS_PTRACE"));
    assertFalse(caps.contains("CAP_CHOWN"));
    assertFalse(caps.contains("CAP_NET_RAW"));
    assertEquals(List.of("CAP_KILL"), SpecGenerator.capabilities(Security.DEFAULT.withCaps(List.of("kill"), List.of("all"))));
    assertThrows(JbuildException.class, () -> SpecGenerator.capabilities(Security.DEFAULT.withCaps(List.of("CAP_BOGUS"), List.of())));

    RuntimeSpec priv = gen(ContainerSpec.of("sh").withSecurity(Security.DEFAULT.withPrivileged(true)));
    assertEquals(SpecDefaults.ALL_CAPABILITIES, priv.process().capabilities().effective());
    assertNull(priv.linux().seccomp());
    assertNull(priv.linux().maskedPaths());
    assertNull(priv.process().noNewPrivileges());
  }

  @Test
  void securityOptions() throws IOException {
    RuntimeSpec rs = gen(ContainerSpec.of("sh").withSecurity(Security.DEFAULT.withSeccomp("unconfined")
        .withNoNewPrivileges(false).withReadOnlyRootfs(true)));
    assertNull(rs.linux().seccomp());
    assertNull(rs.process().noNewPrivileges());
    assertEquals(Boolean.TRUE, rs.root().readonly());
  }

  @Test
  void seccompKeepsDangerousCallsOut() {
    RuntimeSpec.Seccomp s = SeccompProfiles.defaultProfile(java.util.Set.copyOf(SpecDefaults.CAPABILITIES));
    List<String> allowed = s.syscalls().stream().filter(r -> r.action().equals("SCMP_ACT_ALLOW") && r.args() == null)
        .flatMap(r -> r.names().stream()).toList();
    for (String bad : List.of("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf",
        "mount", "umount2", "unshare", "setns", "pivot_root", "reboot", "swapon", "open_by_handle_at", "ptrace",
        "perf_event_open", "clock_settime", "settimeofday", "keyctl", "add_key", "clone3", "userfaultfd", "acct")) {
      assertFalse(allowed.contains(bad), bad);
    }
    for (String good : List.of("read", "write", "execve", "openat", "mmap", "futex", "socket", "chroot", "wait4", "statx")) {
      assertTrue(allowed.contains(good), good);
    }
    RuntimeSpec.Seccomp admin = SeccompProfiles.defaultProfile(java.util.Set.of("CAP_SYS_ADMIN"));
    assertTrue(admin.syscalls().get(0).names().contains("mount"));
    assertFalse(admin.syscalls().get(0).names().contains("kexec_load"));
  }

  @Test
  void dockerFormatSeccompFilesAreResolvedAgainstTheCapabilities() throws Exception {
    Path file = Path.of(SpecGeneratorTest.class.getResource("docker-format-seccomp.json").toURI());
    RuntimeSpec.Seccomp plain = SeccompProfiles.fromFile(file, java.util.Set.copyOf(SpecDefaults.CAPABILITIES));
    List<String> names = plain.syscalls().stream().flatMap(r -> r.names().stream()).toList();
    assertTrue(names.containsAll(List.of("read", "write", "exit_group", "clone")), names.toString());
    assertFalse(names.contains("mount"), "mount needs CAP_SYS_ADMIN");
    assertEquals(1L, plain.defaultErrnoRet());
    assertEquals(SeccompProfiles.architectures(), plain.architectures());
    RuntimeSpec.Seccomp admin = SeccompProfiles.fromFile(file, java.util.Set.of("CAP_SYS_ADMIN"));
    List<String> adminNames = admin.syscalls().stream().flatMap(r -> r.names().stream()).toList();
    assertTrue(adminNames.contains("mount"));
    assertFalse(adminNames.contains("clone"), "the restricted clone rule is excluded with CAP_SYS_ADMIN");
    boolean amd64 = SeccompProfiles.architectures().contains("SCMP_ARCH_X86_64");
    assertEquals(amd64, names.contains("arch_prctl"));
  }

  @Test
  void limitsBecomeCgroupResources() throws IOException {
    RuntimeSpec rs = gen(ContainerSpec.of("sh").withLimits(new Limits(Limits.parseBytes("16m"), 0.5, 64L)));
    assertEquals(16L << 20, rs.linux().resources().memory().limit());
    assertEquals(50_000L, rs.linux().resources().cpu().quota());
    assertEquals(100_000L, rs.linux().resources().cpu().period());
    assertEquals(64, rs.linux().resources().pids().limit());
    assertEquals(1L << 30, Limits.parseBytes("1g"));
    assertEquals(512L << 10, Limits.parseBytes("512k"));
    assertEquals(64L << 20, Limits.parseBytes("64mb"));
    assertThrows(JbuildException.class, () -> Limits.parseBytes("lots"));
    assertThrows(JbuildException.class, () -> new Limits(1024L, null, null));
  }

  @Test
  void hostNetworkHasNoNetworkNamespace() throws IOException {
    RuntimeSpec rs = gen(ContainerSpec.of("sh").withNetwork(NetworkMode.HOST));
    assertTrue(rs.linux().namespaces().stream().noneMatch(n -> n.type().equals("network")));
    assertNull(rs.linux().sysctl());
  }

  @Test
  void containerSpecValidates() {
    assertThrows(JbuildException.class, () -> ContainerSpec.of(List.of()));
    assertThrows(JbuildException.class, () -> ContainerSpec.of("sh").withWorkdir("relative"));
    assertThrows(JbuildException.class, () -> ContainerSpec.of("sh").withEnv(List.of("NOEQUALS")));
    assertThrows(JbuildException.class, () -> ContainerSpec.of("sh").withNetwork(NetworkMode.NONE)
        .withPorts(List.of(dev.jbuild.runtime.net.PortMapping.parse("80:80"))));
    assertThrows(JbuildException.class, () -> Volume.parseBind("relative:/x"));
    assertEquals(new Volume.Bind(Path.of("/a"), "/b", true), Volume.parseBind("/a:/b:ro"));
    assertEquals(NetworkMode.NONE, NetworkMode.parse("none"));
  }
}
