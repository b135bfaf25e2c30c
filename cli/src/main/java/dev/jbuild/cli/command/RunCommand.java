package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.ImageRunSpec;
import dev.jbuild.runtime.RunRequest;
import dev.jbuild.runtime.RunningContainer;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.net.HostEntry;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.oci.RuncRuntime;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Limits;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.Security;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.ImageSnapshots;
import dev.jbuild.store.image.Images;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild run [OPTIONS] IMAGE [CMD...]}: runs a container from an image, as {@code docker run}.
 * In the foreground jbuild exits with the container's status (126 not executable, 127 not found,
 * 128+n killed by signal n; 125 for jbuild's own errors); {@code -d} prints the id.
 */
@Command(name = "run", description = "Run a command in a new container.")
public final class RunCommand extends ContainerCommand {
  /** Where --init binds its init (catatonit from Debian): /dev is the runtime's tmpfs, so nothing lands in the upper dir. */
  static final String INIT_PATH = "/dev/init";
  static final List<Path> INIT_CANDIDATES = List.of(Path.of("/usr/bin/catatonit"), Path.of("/usr/libexec/podman/catatonit"),
      Path.of("/usr/bin/tini-static"));

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1..*", paramLabel = "CMD", arity = "0..*")
  List<String> command = new ArrayList<>();

  @Option(names = "--rm", description = "Remove the container when it exits.")
  boolean rm;

  @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container id.")
  boolean detach;

  @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.")
  boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal.")
  boolean tty;

  @Option(names = "--name", paramLabel = "NAME")
  String name;

  @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]")
  List<String> env = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "FILE")
  List<Path> envFiles = new ArrayList<>();

  @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOST:CTR[/PROTO]")
  List<String> publish = new ArrayList<>();

  @Option(names = {"-v", "--volume"}, paramLabel = "HOST:CTR[:ro]")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--tmpfs", paramLabel = "PATH[:OPTIONS]")
  List<String> tmpfs = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
  String workdir;

  @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]")
  String user;

  @Option(names = "--entrypoint", paramLabel = "CMD")
  String entrypoint;

  @Option(names = {"--network", "--net"}, paramLabel = "bridge|none|host")
  String network = "bridge";

  @Option(names = "--hostname", paramLabel = "NAME")
  String hostname;

  @Option(names = "--dns", paramLabel = "IP")
  List<String> dns = new ArrayList<>();

  @Option(names = "--add-host", paramLabel = "HOST:IP")
  List<String> addHosts = new ArrayList<>();

  @Option(names = {"-m", "--memory"}, paramLabel = "BYTES")
  String memory;

  @Option(names = "--cpus", paramLabel = "N")
  Double cpus;

  @Option(names = "--pids-limit", paramLabel = "N")
  Long pidsLimit;

  @Option(names = "--read-only", description = "Mount the container's root filesystem read-only.")
  boolean readOnly;

  @Option(names = "--privileged")
  boolean privileged;

  @Option(names = "--cap-add", paramLabel = "CAP")
  List<String> capAdd = new ArrayList<>();

  @Option(names = "--cap-drop", paramLabel = "CAP")
  List<String> capDrop = new ArrayList<>();

  @Option(names = "--security-opt", paramLabel = "OPT")
  List<String> securityOpts = new ArrayList<>();

  @Option(names = "--stop-signal", paramLabel = "SIGNAL")
  String stopSignal;

  @Option(names = "--init", description = "Run an init (catatonit) as pid 1 that forwards signals and reaps zombies.")
  boolean init;

  @Option(names = "--runtime", paramLabel = "PATH", description = "The OCI runtime binary (default: runc on PATH).")
  Path runtimeBinary;

  public RunCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** Options that take no value; see {@link #parseFast}. */
  static final java.util.Set<String> FAST_FLAGS = java.util.Set.of("--rm", "-d", "--detach", "-i", "--interactive", "-t",
      "--tty", "--read-only", "--privileged", "--init", "--debug");

  /** Options that take a value; see {@link #parseFast}. */
  static final java.util.Set<String> FAST_VALUED = java.util.Set.of("--name", "-e", "--env", "--env-file", "-p",
      "--publish", "-v", "--volume", "--tmpfs", "-w", "--workdir", "-u", "--user", "--entrypoint", "--network", "--net",
      "--hostname", "--dns", "--add-host", "-m", "--memory", "--cpus", "--pids-limit", "--cap-add", "--cap-drop",
      "--security-opt", "--stop-signal", "--runtime", "--root");

  /**
   * jbuild run's start-up fast path: parses {@code run} arguments ({@code args[0]} is "run") into a
   * command without building picocli's model of every subcommand. picocli's classes are Java 5
   * bytecode, which the JDK's AOT cache cannot hold, so loading and verifying them costs more than
   * a whole container start. Returns empty for anything it does not handle exactly as picocli would
   * (help, an unknown option, a malformed number, a boolean with a value): the caller then goes the
   * picocli way, which also produces the error messages. {@code RunCommandTest} checks that both
   * parsers agree and that every {@code @Option} here is known to this one.
   */
  public static java.util.Optional<RunCommand> parseFast(Jbuild.Context ctx, String[] args) {
    if (args.length < 2 || !args[0].equals("run")) {
      return java.util.Optional.empty();
    }
    RunCommand c = new RunCommand(ctx);
    c.storeOptions = new dev.jbuild.cli.option.StoreOptions();
    int i = 1;
    try {
      while (i < args.length) {
        String a = args[i];
        if (a.equals("--")) {
          i++;
          break;
        }
        if (!a.startsWith("-") || a.equals("-")) {
          break;
        }
        String name = a;
        String value = null;
        if (a.startsWith("--")) {
          int eq = a.indexOf('=');
          if (eq > 0) {
            name = a.substring(0, eq);
            value = a.substring(eq + 1);
          }
        } else if (a.length() > 2) {
          // -it, -e K=V as -eK=V, -p8080:80: a cluster of flags, possibly ending in a valued option
          for (int k = 1; k < a.length(); k++) {
            String opt = "-" + a.charAt(k);
            if (FAST_FLAGS.contains(opt)) {
              c.setFlag(opt);
            } else if (FAST_VALUED.contains(opt)) {
              String v = k + 1 < a.length() ? a.substring(k + 1) : (i + 1 < args.length ? args[++i] : null);
              if (v == null) {
                return java.util.Optional.empty();
              }
              c.setValue(opt, v);
              break;
            } else {
              return java.util.Optional.empty();
            }
          }
          i++;
          continue;
        }
        if (FAST_FLAGS.contains(name)) {
          if (value != null) {
            return java.util.Optional.empty();
          }
          c.setFlag(name);
        } else if (FAST_VALUED.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              return java.util.Optional.empty();
            }
            value = args[++i];
          }
          c.setValue(name, value);
        } else {
          return java.util.Optional.empty();
        }
        i++;
      }
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
    if (i >= args.length) {
      return java.util.Optional.empty();
    }
    c.image = args[i];
    c.command = new ArrayList<>(List.of(args).subList(i + 1, args.length));
    return java.util.Optional.of(c);
  }

  /** Whether --debug was given to the fast path. */
  boolean fastDebug;

  /** Whether the fast path was asked for stack traces. */
  public boolean debug() {
    return fastDebug;
  }

  private void setFlag(String name) {
    switch (name) {
      case "--rm" -> rm = true;
      case "-d", "--detach" -> detach = true;
      case "-i", "--interactive" -> interactive = true;
      case "-t", "--tty" -> tty = true;
      case "--read-only" -> readOnly = true;
      case "--privileged" -> privileged = true;
      case "--init" -> init = true;
      case "--debug" -> fastDebug = true;
      default -> throw new IllegalStateException("[internal error] unknown run flag " + name);
    }
  }

  private void setValue(String name, String v) {
    switch (name) {
      case "--name" -> this.name = v;
      case "-e", "--env" -> env.add(v);
      case "--env-file" -> envFiles.add(Path.of(v));
      case "-p", "--publish" -> publish.add(v);
      case "-v", "--volume" -> volumes.add(v);
      case "--tmpfs" -> tmpfs.add(v);
      case "-w", "--workdir" -> workdir = v;
      case "-u", "--user" -> user = v;
      case "--entrypoint" -> entrypoint = v;
      case "--network", "--net" -> network = v;
      case "--hostname" -> hostname = v;
      case "--dns" -> dns.add(v);
      case "--add-host" -> addHosts.add(v);
      case "-m", "--memory" -> memory = v;
      case "--cpus" -> cpus = Double.valueOf(v);
      case "--pids-limit" -> pidsLimit = Long.valueOf(v);
      case "--cap-add" -> capAdd.add(v);
      case "--cap-drop" -> capDrop.add(v);
      case "--security-opt" -> securityOpts.add(v);
      case "--stop-signal" -> stopSignal = v;
      case "--runtime" -> runtimeBinary = Path.of(v);
      case "--root" -> storeOptions.root = Path.of(v);
      default -> throw new IllegalStateException("[internal error] unknown run option " + name);
    }
  }

  @Override
  Runtime openRuntime() throws IOException {
    RuntimeConfig c = RuntimeConfig.defaults(storeRoot().path(), ctx.env());
    if (runtimeBinary != null) {
      c = c.withOci(new RuncRuntime(runtimeBinary, RuncRuntime.DEFAULT_ROOT));
    }
    return new Runtime(c, tracer());
  }

  /** With JBUILD_TRACE set, each phase's duration goes to stderr (for profiling the start-up path). */
  private dev.jbuild.runtime.Tracer tracer() {
    if (!ctx.env().containsKey("JBUILD_TRACE")) {
      return dev.jbuild.runtime.Tracer.NONE;
    }
    return (phase, nanos) -> {
      synchronized (ctx.err()) {
        ctx.err().printf("jbuild: trace %-14s %7.1f ms%n", phase, nanos / 1e6);
        ctx.err().flush();
      }
    };
  }

  private long trace(String phase, long since) {
    long now = System.nanoTime();
    if (ctx.env().containsKey("JBUILD_TRACE")) {
      tracer().phase(phase, now - since);
    }
    return now;
  }

  @Override
  int run() throws Exception {
    long t = System.nanoTime();
    if (ctx.env().containsKey("JBUILD_TRACE")) {
      // JVM uptime when the command starts (process start times from /proc are too coarse for this)
      tracer().phase("jvm-start", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L);
    }
    ContainerSpec base = flags();
    List<String> env = environment(); // --env-file read (and refused) before anything is set up
    Runtime rt = openRuntime();
    // The container's state and its network (netns and CNI ADD, on a thread of their own) are set
    // up from the flags while this thread reads the image; a failure before the hand-over releases them.
    try (Runtime.Reservation reservation = rt.reserve(name, base, rm, detach)) {
      t = trace("reserve", t);
      Store store = openStore();
      t = trace("store-open", t);
      Image img;
      List<Path> lowers;
      try (AutoCloseable ingest = store.gcLock().shared()) {
        img = new Images(store).resolve(image);
        t = trace("image-resolve", t);
        lowers = new ImageSnapshots(store).ensure(img);
        trace("image-snapshots", t);
      }
      ImageRunSpec overrides = new ImageRunSpec(entrypoint, command, env, workdir, user);
      ContainerSpec spec = overrides.applyTo(img.config().configOrEmpty(), base);
      if (init) {
        spec = withInit(spec);
      }
      ContainerImage link = new ContainerImage(image, img.manifestDigest().toString(), img.id().toString());
      if (detach) {
        ContainerId id = rt.start(new RunRequest(lowers, spec, name, rm, Stdio.inherit()), reservation);
        tryLink(rt, id, link);
        ctx.out().println(id.hex());
        return 0;
      }
      return foreground(rt, new RunRequest(lowers, spec.withTerminal(tty), name, rm, stdio()), reservation, link);
    }
  }

  private int foreground(Runtime rt, RunRequest req, Runtime.Reservation reservation, ContainerImage link)
      throws IOException, InterruptedException {
    ctx.out().flush();
    ctx.err().flush();
    try (RunningContainer c = rt.open(req, reservation)) {
      tryLink(rt, c.id(), link);
      if (req.stdio() instanceof Stdio.Pipe || (req.stdio() instanceof Stdio.Terminal t && t.outer() instanceof Stdio.Pipe)) {
        // in process (tests): relay the container's output into this command's writers
        c.stdin().close();
        Thread out = relay(c.stdout(), ctx.out(), "jbuild-stdout");
        Thread err = relay(c.stderr(), ctx.err(), "jbuild-stderr");
        int code = c.waitFor();
        out.join(5000);
        err.join(5000);
        return code;
      }
      return c.waitFor();
    }
  }

  private static void tryLink(Runtime rt, ContainerId id, ContainerImage link) {
    try {
      link.writeTo(rt.store().dir(id));
    } catch (IOException e) {
      // a container removed meanwhile (--rm of a command that already ended) needs no link
    }
  }

  /** How the container's stdio is connected: the descriptors themselves when jbuild runs as a process. */
  private Stdio stdio() {
    if (!processStdio()) {
      return tty ? new Stdio.Terminal(Stdio.pipe()) : Stdio.pipe();
    }
    if (tty) {
      // runc relays a caller's own terminal; without one, script(1) makes one
      return stdinIsTerminal() ? Stdio.inherit() : new Stdio.Terminal(Stdio.inherit());
    }
    return interactive ? Stdio.inherit() : new Stdio.NoInput();
  }

  private ContainerSpec withInit(ContainerSpec spec) {
    Path initBinary = INIT_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(
        () -> new JbuildException("--init needs catatonit (apt-get install catatonit)"));
    List<String> args = new ArrayList<>(List.of(INIT_PATH, "--"));
    args.addAll(spec.args());
    List<Volume> vols = new ArrayList<>(spec.volumes());
    vols.add(new Volume.Bind(initBinary, INIT_PATH, true));
    return spec.withArgs(args).withVolumes(vols);
  }

  /** Everything but the image-dependent parts (command, env, workdir, user), from the flags. */
  ContainerSpec flags() {
    NetworkMode net = NetworkMode.parse(network);
    List<Volume> vols = new ArrayList<>();
    for (String v : volumes) {
      vols.add(Volume.parseBind(v));
    }
    for (String t : tmpfs) {
      int colon = t.indexOf(':');
      vols.add(colon < 0 ? new Volume.Tmpfs(t, "") : new Volume.Tmpfs(t.substring(0, colon), t.substring(colon + 1)));
    }
    Limits limits = Limits.NONE;
    if (memory != null) {
      limits = limits.withMemory(Limits.parseBytes(memory));
    }
    if (cpus != null) {
      limits = limits.withCpus(cpus);
    }
    if (pidsLimit != null) {
      limits = limits.withPids(pidsLimit);
    }
    Security sec = Security.DEFAULT.withPrivileged(privileged).withCaps(capAdd, capDrop).withReadOnlyRootfs(readOnly);
    for (String o : securityOpts) {
      sec = securityOpt(sec, o);
    }
    return ContainerSpec.of("/bin/true")
        .withNetwork(net)
        .withPorts(publish.stream().map(PortMapping::parse).toList())
        .withVolumes(vols)
        .withHostname(hostname)
        .withDns(dns)
        .withExtraHosts(addHosts.stream().map(HostEntry::parse).toList())
        .withLimits(limits)
        .withSecurity(sec)
        .withStopSignal(stopSignal);
  }

  static Security securityOpt(Security sec, String opt) {
    String o = opt.replaceFirst("^(seccomp|no-new-privileges):", "$1=");
    if (o.equals("no-new-privileges")) {
      return sec.withNoNewPrivileges(true);
    }
    int eq = o.indexOf('=');
    if (eq < 0) {
      throw new JbuildException("invalid --security-opt " + opt + " (seccomp=unconfined|FILE or no-new-privileges=true|false)");
    }
    String key = o.substring(0, eq);
    String value = o.substring(eq + 1);
    return switch (key) {
      case "seccomp" -> sec.withSeccomp(value);
      case "no-new-privileges" -> switch (value) {
        case "true" -> sec.withNoNewPrivileges(true);
        case "false" -> sec.withNoNewPrivileges(false);
        default -> throw new JbuildException("invalid --security-opt " + opt + ": no-new-privileges takes true or false");
      };
      default -> throw new JbuildException("unsupported --security-opt " + opt + " (seccomp=..., no-new-privileges=...)");
    };
  }

  /** The -e and --env-file entries in order: {@code KEY} alone takes the value from jbuild's own environment. */
  List<String> environment() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : envFiles) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        addEnv(out, l, ctx.env(), f + ": ");
      }
    }
    for (String e : env) {
      addEnv(out, e, ctx.env(), "");
    }
    return out;
  }

  static void addEnv(List<String> out, String entry, Map<String, String> host, String where) {
    int eq = entry.indexOf('=');
    if (eq == 0) {
      throw new JbuildException(where + "invalid environment variable " + entry + " (empty name)");
    }
    if (eq > 0) {
      out.add(entry);
    } else if (host.containsKey(entry)) {
      out.add(entry + "=" + host.get(entry));
    }
  }
}
