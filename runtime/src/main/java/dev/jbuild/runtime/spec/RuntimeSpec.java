package dev.jbuild.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI runtime configuration ({@code config.json} of a bundle) as records, limited to what jbuild
 * generates for Linux. Null fields are left out of the JSON.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/v1.0.2/config.md">runtime-spec config.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeSpec(
    String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux) {

  /** The spec version written; runc 1.1 implements 1.0.2. */
  public static final String OCI_VERSION = "1.0.2";

  public RuntimeSpec {
    Objects.requireNonNull(ociVersion, "ociVersion");
    mounts = mounts == null ? null : List.copyOf(mounts);
  }

  /** Writes the spec as {@code bundle/config.json} (temp file, then rename). */
  public void writeTo(Path bundle) throws IOException {
    Path tmp = bundle.resolve("config.json.tmp");
    Files.write(tmp, toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.move(tmp, bundle.resolve("config.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public String toJson() {
    return new String(RecordJson.write(this, true), java.nio.charset.StandardCharsets.UTF_8);
  }

  public static RuntimeSpec parse(String json) throws IOException {
    return RecordJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), RuntimeSpec.class);
  }

  /** The container process. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Process(
      Boolean terminal,
      User user,
      List<String> args,
      List<String> env,
      String cwd,
      Capabilities capabilities,
      List<Rlimit> rlimits,
      Boolean noNewPrivileges) {
    public Process {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(cwd, "cwd");
      if (!cwd.startsWith("/")) {
        throw new IllegalArgumentException("process cwd must be absolute: " + cwd);
      }
      args = args == null ? null : List.copyOf(args);
      env = env == null ? null : List.copyOf(env);
      rlimits = rlimits == null ? null : List.copyOf(rlimits);
    }
  }

  /** Numeric user and groups the process runs as. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record User(long uid, long gid, List<Long> additionalGids) {
    public User {
      if (uid < 0 || gid < 0) {
        throw new IllegalArgumentException("uid and gid must not be negative");
      }
      additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
    }
  }

  /** The five capability sets, each a list of {@code CAP_*} names. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Capabilities(
      List<String> bounding, List<String> effective, List<String> inheritable, List<String> permitted, List<String> ambient) {
    /** The same set as bounding, effective and permitted; none inheritable or ambient (docker's choice). */
    public static Capabilities of(List<String> caps) {
      return new Capabilities(caps, caps, null, caps, null);
    }
  }

  /** A POSIX rlimit such as {@code RLIMIT_NOFILE}. */
  public record Rlimit(String type, long hard, long soft) {
    public Rlimit {
      if (!type.startsWith("RLIMIT_")) {
        throw new IllegalArgumentException("rlimit type must start with RLIMIT_: " + type);
      }
      if (Long.compareUnsigned(soft, hard) > 0) {
        throw new IllegalArgumentException(type + ": soft limit above hard limit");
      }
    }
  }

  /** The root filesystem: a path relative to the bundle or absolute. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Root(String path, Boolean readonly) {
    public Root {
      Objects.requireNonNull(path, "root path");
    }
  }

  /** One mount in the container, in the order runc performs them. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Mount(String destination, String type, String source, List<String> options) {
    public Mount {
      if (destination == null || !destination.startsWith("/")) {
        throw new IllegalArgumentException("mount destination must be absolute: " + destination);
      }
      options = options == null ? List.of() : List.copyOf(options);
    }
  }

  /** The Linux section. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Linux(
      List<Namespace> namespaces,
      List<String> maskedPaths,
      List<String> readonlyPaths,
      Resources resources,
      String cgroupsPath,
      Seccomp seccomp,
      List<Device> devices,
      Map<String, String> sysctl,
      String rootfsPropagation) {}

  /** A namespace to create, or to join when {@code path} is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Namespace(String type, String path) {
    public Namespace {
      if (!List.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup").contains(type)) {
        throw new IllegalArgumentException("unknown namespace type " + type);
      }
    }
  }

  /** An extra device node to create in the container's /dev. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Device(String type, String path, long major, long minor, Integer fileMode, Long uid, Long gid) {}

  /** cgroup resource limits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids) {}

  /** A device cgroup rule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

  /** Memory limits in bytes; swap = memory + swap (as the spec defines it). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Memory(Long limit, Long swap) {}

  /** CFS quota and period in microseconds, and cpu shares. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cpu(Long shares, Long quota, Long period) {}

  /** The maximum number of tasks. */
  public record Pids(long limit) {}

  /** A seccomp filter: the default action and the rules that override it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Seccomp(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<Syscall> syscalls) {}

  /** A seccomp rule for a set of syscall names. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Syscall(List<String> names, String action, Long errnoRet, List<SyscallArg> args) {
    public Syscall {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("seccomp rule without syscall names");
      }
      names = List.copyOf(names);
    }
  }

  /** A seccomp argument comparison. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SyscallArg(long index, long value, Long valueTwo, String op) {}
}
