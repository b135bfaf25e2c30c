package dev.jbuild.runtime.spec;

import dev.jbuild.runtime.spec.RuntimeSpec.Seccomp;
import dev.jbuild.runtime.spec.RuntimeSpec.Syscall;
import dev.jbuild.runtime.spec.RuntimeSpec.SyscallArg;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * jbuild's default seccomp profile: an allowlist of the system calls ordinary programs make, with
 * every other call failing with ENOSYS (so libc falls back, e.g. from clone3 to clone). Calls that
 * administer the kernel (module loading, kexec, reboot, swap, clock setting, keyrings of other
 * users, bpf, perf, mounting, namespace creation) are only allowed when the matching capability is
 * granted, as docker resolves its profile's capability conditions when it writes the config.
 */
public final class SeccompProfiles {
  private SeccompProfiles() {}

  /** ENOSYS: "function not implemented", what an unknown syscall returns on a kernel without it. */
  public static final long ENOSYS = 38;

  private static final long EPERM = 1;

  /** The clone flags that create namespaces: CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
  private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;

  /** Syscalls every container may make. Names unknown to the host's libseccomp are skipped by runc. */
  static final List<String> BASE = List.of(
      // files and descriptors
      "access", "faccessat", "faccessat2", "open", "openat", "openat2", "creat", "close", "close_range", "read",
      "readv", "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev", "pwritev2", "lseek",
      "_llseek", "dup", "dup2", "dup3", "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync", "syncfs",
      "sync_file_range", "truncate", "truncate64", "ftruncate", "ftruncate64", "fallocate", "fadvise64",
      "fadvise64_64", "readahead", "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "newfstatat",
      "fstatat64", "statx", "statfs", "statfs64", "fstatfs", "fstatfs64", "getdents", "getdents64", "readlink",
      "readlinkat", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat", "rename", "renameat",
      "renameat2", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat", "chmod", "fchmod", "fchmodat", "fchmodat2",
      "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", "utime", "utimes", "futimesat",
      "utimensat", "utimensat_time64", "umask", "chdir", "fchdir", "getcwd", "pipe", "pipe2",
      "sendfile", "sendfile64", "splice", "tee", "vmsplice", "copy_file_range", "memfd_create", "ioctl",
      "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr",
      "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "inotify_init",
      "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark", "io_setup", "io_destroy",
      "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_submit", "io_cancel", "io_uring_setup",
      "io_uring_enter", "io_uring_register",
      // polling and events
      "select", "_newselect", "pselect6", "pselect6_time64", "poll", "ppoll", "ppoll_time64", "epoll_create",
      "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
      "signalfd", "signalfd4", "timerfd_create", "timerfd_settime", "timerfd_settime64", "timerfd_gettime",
      "timerfd_gettime64",
      // memory
      "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_alloc", "pkey_free", "pkey_mprotect",
      "madvise", "mincore", "msync", "mlock", "mlock2", "munlock", "mlockall", "munlockall", "membarrier",
      "get_mempolicy", "set_mempolicy", "mbind", "remap_file_pages", "process_mrelease", "rseq",
      // processes and threads
      "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid", "kill", "tkill",
      "tgkill", "getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid",
      "set_tid_address", "set_robust_list", "get_robust_list", "futex", "futex_time64", "futex_waitv",
      "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_setparam",
      "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
      "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_getattr", "sched_setattr", "getpriority",
      "setpriority", "ioprio_get", "ioprio_set", "prctl", "arch_prctl", "capget", "capset", "getrlimit",
      "ugetrlimit", "setrlimit", "prlimit64", "getrusage", "times", "uname", "sysinfo", "getrandom",
      "restart_syscall", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "process_vm_readv",
      "process_vm_writev", "set_thread_area", "get_thread_area", "seccomp",
      // signals
      "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait",
      "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaction", "sigprocmask", "sigreturn",
      "sigsuspend", "sigpending", "sigaltstack", "pause", "alarm", "signal",
      // identity
      "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32", "getresuid",
      "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32", "setuid", "setuid32", "setgid",
      "setgid32", "setreuid", "setreuid32", "setregid", "setregid32", "setresuid", "setresuid32", "setresgid",
      "setresgid32", "setgroups", "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
      // time
      "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64",
      "clock_nanosleep", "clock_nanosleep_time64", "nanosleep", "getitimer", "setitimer", "timer_create",
      "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
      "timer_settime64",
      // sockets
      "socket", "socketpair", "socketcall", "bind", "connect", "listen", "accept", "accept4", "getsockname",
      "getpeername", "getsockopt", "setsockopt", "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom",
      "recvmsg", "recvmmsg", "recvmmsg_time64", "shutdown",
      // System V and POSIX IPC (the container has its own IPC namespace)
      "ipc", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semtimedop_time64",
      "semctl", "shmget", "shmat", "shmdt", "shmctl", "mq_open", "mq_unlink", "mq_timedsend",
      "mq_timedsend_time64", "mq_timedreceive", "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
      // misc harmless
      "getcpu", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "cacheflush",
      "breakpoint", "set_tls", "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2");

  /** Extra syscalls per capability, allowed only when the container holds it. */
  private static final List<Object[]> BY_CAPABILITY = List.of(
      new Object[] {"CAP_SYS_ADMIN", List.of("mount", "umount", "umount2", "unshare", "setns", "clone3", "pivot_root",
          "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr", "quotactl",
          "quotactl_fd", "sethostname", "setdomainname", "syslog", "lookup_dcookie", "perf_event_open",
          "fanotify_init", "bpf", "open_by_handle_at", "name_to_handle_at", "keyctl", "add_key", "request_key")},
      new Object[] {"CAP_SYS_BOOT", List.of("reboot")},
      new Object[] {"CAP_SYS_CHROOT", List.of("chroot")},
      new Object[] {"CAP_SYS_MODULE", List.of("init_module", "finit_module", "delete_module")},
      new Object[] {"CAP_SYS_PACCT", List.of("acct")},
      new Object[] {"CAP_SYS_PTRACE", List.of("ptrace", "kcmp", "process_madvise")},
      new Object[] {"CAP_SYS_RAWIO", List.of("iopl", "ioperm")},
      new Object[] {"CAP_SYS_TIME", List.of("settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex",
          "clock_adjtime", "clock_adjtime64")},
      new Object[] {"CAP_SYS_TTY_CONFIG", List.of("vhangup")},
      new Object[] {"CAP_SYS_NICE", List.of("move_pages")},
      new Object[] {"CAP_SYSLOG", List.of("syslog")},
      new Object[] {"CAP_BPF", List.of("bpf")},
      new Object[] {"CAP_PERFMON", List.of("perf_event_open")});

  /**
   * The default profile for a container holding {@code capabilities}. The architectures are the
   * host's native one plus its compat ABIs, so 32-bit binaries are filtered too.
   */
  public static Seccomp defaultProfile(Set<String> capabilities) {
    List<String> allowed = new ArrayList<>(BASE);
    for (Object[] rule : BY_CAPABILITY) {
      if (capabilities.contains((String) rule[0])) {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) rule[1];
        names.stream().filter(n -> !allowed.contains(n)).forEach(allowed::add);
      }
    }
    allowed.sort(null);
    List<Syscall> rules = new ArrayList<>();
    rules.add(new Syscall(List.copyOf(allowed), "SCMP_ACT_ALLOW", null, null));
    if (!capabilities.contains("CAP_SYS_ADMIN")) {
      // clone itself is needed by every fork; only its namespace-creating flags are refused.
      rules.add(new Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null,
          List.of(new SyscallArg(0, CLONE_NAMESPACE_FLAGS, 0L, "SCMP_CMP_MASKED_EQ"))));
      // Make unshare/setns fail like a missing permission rather than a missing syscall.
      rules.add(new Syscall(List.of("unshare", "setns", "mount", "umount2"), "SCMP_ACT_ERRNO", EPERM, null));
    } else {
      rules.add(new Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null, null));
    }
    // personality: only the harmless personas (Linux, Linux32 and "query").
    for (long persona : new long[] {0x0, 0x0008, 0x20000, 0x20008, 0xffffffffL}) {
      rules.add(new Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null,
          List.of(new SyscallArg(0, persona, null, "SCMP_CMP_EQ"))));
    }
    return new Seccomp("SCMP_ACT_ERRNO", ENOSYS, architectures(), rules);
  }

  /** The host's seccomp architectures: native plus compat. */
  public static List<String> architectures() {
    return switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
      case "aarch64", "arm64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
      case "ppc64le" -> List.of("SCMP_ARCH_PPC64LE");
      case "s390x" -> List.of("SCMP_ARCH_S390X", "SCMP_ARCH_S390");
      case "riscv64" -> List.of("SCMP_ARCH_RISCV64");
      default -> List.of();
    };
  }

  /**
   * A profile from a file as {@code --security-opt seccomp=FILE} names it: runtime-spec seccomp JSON,
   * or docker's profile format, whose {@code archMap} and per-rule {@code includes}/{@code excludes}
   * (capabilities, architectures) are resolved here against the container's capabilities, as docker
   * does when it writes the config.
   */
  public static Seccomp fromFile(Path file, Set<String> capabilities) throws IOException {
    JsonNode root = RecordJson.mapper().readTree(Files.readString(file));
    List<String> native_ = architectures();
    String arch = native_.isEmpty() ? "" : native_.get(0);
    List<String> arches = new ArrayList<>();
    if (root.has("architectures")) {
      root.path("architectures").forEach(a -> arches.add(a.asText()));
    } else {
      for (JsonNode m : root.path("archMap")) {
        if (m.path("architecture").asText().equals(arch)) {
          arches.add(arch);
          m.path("subArchitectures").forEach(a -> arches.add(a.asText()));
        }
      }
    }
    List<Syscall> rules = new ArrayList<>();
    for (JsonNode r : root.path("syscalls")) {
      if (!applies(r.path("includes"), true, capabilities, arch) || !applies(r.path("excludes"), false, capabilities, arch)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      r.path("names").forEach(n -> names.add(n.asText()));
      if (r.has("name")) {
        names.add(r.path("name").asText());
      }
      if (names.isEmpty()) {
        continue;
      }
      List<SyscallArg> args = null;
      if (r.path("args").isArray() && !r.path("args").isEmpty()) {
        args = new ArrayList<>();
        for (JsonNode a : r.path("args")) {
          args.add(new SyscallArg(a.path("index").asLong(), a.path("value").asLong(),
              a.has("valueTwo") ? a.path("valueTwo").asLong() : null, a.path("op").asText()));
        }
      }
      rules.add(new Syscall(names, r.path("action").asText(), r.has("errnoRet") ? r.path("errnoRet").asLong() : null, args));
    }
    return new Seccomp(root.path("defaultAction").asText("SCMP_ACT_ERRNO"),
        root.has("defaultErrnoRet") ? root.path("defaultErrnoRet").asLong() : null, arches.isEmpty() ? null : arches, rules);
  }

  /**
   * Whether docker's {@code includes} (all must hold) or {@code excludes} (none may hold) condition
   * lets a rule apply; {@code minKernel} is not checked (the host kernel is recent).
   */
  private static boolean applies(JsonNode cond, boolean include, Set<String> caps, String arch) {
    if (cond.isMissingNode() || cond.isEmpty()) {
      return true;
    }
    List<Boolean> hits = new ArrayList<>();
    cond.path("caps").forEach(c -> hits.add(caps.contains(c.asText())));
    boolean archListed = false;
    for (JsonNode a : cond.path("arches")) {
      archListed |= a.asText().equals(arch) || ("SCMP_ARCH_" + a.asText().toUpperCase(Locale.ROOT)).equals(arch)
          || (a.asText().equals("amd64") && arch.equals("SCMP_ARCH_X86_64"))
          || (a.asText().equals("arm64") && arch.equals("SCMP_ARCH_AARCH64"));
    }
    if (cond.path("arches").size() > 0) {
      hits.add(archListed);
    }
    return include ? hits.stream().allMatch(h -> h) : hits.stream().noneMatch(h -> h);
  }
}
