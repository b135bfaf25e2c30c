package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.ImageRunSpec;
import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.container.Reaper;
import dev.jbuild.runtime.container.Resource;
import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniResult;
import dev.jbuild.runtime.net.DnsFiles;
import dev.jbuild.runtime.oci.RuncRuntime;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.HostLimits;
import dev.jbuild.runtime.spec.ResolvedUser;
import dev.jbuild.runtime.spec.RuntimeSpec;
import dev.jbuild.runtime.spec.SpecGenerator;
import dev.jbuild.runtime.spec.UserResolver;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.ImageSnapshots;
import dev.jbuild.store.image.Images;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild aot-train} (hidden): the workload bin/jbuild runs once to write the JVM's AOT cache.
 * It walks the start-up path of the common commands on a throw-away store (import, images, inspect,
 * the argument parsing of run, image to container spec, container state, config.json, DNS files,
 * CNI configuration and result parsing, the reaper, push and pull against a registry of its own on
 * 127.0.0.1 ({@link TrainingRegistry}), a build and its fully cached rebuild) without
 * mounting or starting anything, so the classes a real {@code jbuild run} or a cached build needs come
 * from the cache instead of the jar.
 *
 * <p>{@code jbuild run} gets a cache of its own (JDK 25's AOT cache loads every class it holds when
 * the JVM starts: the classes of build, push and pull cost a container start ~30 ms). bin/jbuild
 * writes it in two steps: {@code aot-train run-setup DIR}, in a JVM that records nothing, imports the
 * training image into a store under DIR (reaping what a killed training left there first); {@code
 * aot-train run DIR}, in the recording JVM and without picocli, takes the steps of a bridged run that
 * need no host resources and then really runs {@code /bin/true} ({@code --rm --network none}, the
 * host's /usr bound read-only) on that store, which it then deletes.
 */
@Command(name = "aot-train", hidden = true, description = "Exercise the start-up path (used to write the AOT cache).")
public final class AotTrainCommand extends ContainerCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "MODE", description = "run-setup or run (default: everything).")
  String mode;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "The training store of run-setup and run.")
  Path dir;

  public AotTrainCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** {@code aot-train run DIR} without picocli, whose classes a run's cache should not hold. */
  public static Optional<AotTrainCommand> parseFast(Jbuild.Context ctx, String[] args) {
    if (args.length != 3 || !args[0].equals("aot-train") || !args[1].equals("run") || args[2].startsWith("-")) {
      return Optional.empty();
    }
    AotTrainCommand c = new AotTrainCommand(ctx);
    c.storeOptions = new dev.jbuild.cli.option.StoreOptions();
    c.mode = "run";
    c.dir = Path.of(args[2]);
    return Optional.of(c);
  }

  @Override
  int run() throws Exception {
    if (mode != null) {
      if (dir == null) {
        throw new dev.jbuild.store.JbuildException("aot-train " + mode + ": a directory is required");
      }
      switch (mode) {
        case "run-setup" -> setUpRun(dir.toAbsolutePath().normalize());
        case "run" -> {
          try {
            trainRun(dir.toAbsolutePath().normalize());
          } catch (Exception e) {
            ctx.err().println("jbuild: aot-train: " + e);
          }
          removeTrainingDir(dir.toAbsolutePath().normalize());
        }
        default -> throw new dev.jbuild.store.JbuildException("aot-train: unknown mode \"" + mode + "\" (run-setup or run)");
      }
      return 0;
    }
    Path tmp = Files.createTempDirectory("jbuild-aot-");
    try {
      train(tmp);
    } catch (Exception e) {
      // a partial walk still fills the cache with what it loaded; never fail the launcher for it
      ctx.err().println("jbuild: aot-train: " + e);
    } finally {
      ContainerStore.deleteTree(tmp);
    }
    return 0;
  }

  /**
   * The training image of {@code aot-train run}, in {@code dir/store}. The launcher names DIR after
   * its pid ({@code NAME.PID}), so concurrent first starts train apart: directories of the same NAME
   * whose process is gone are what a killed training left, reaped and deleted first.
   */
  private void setUpRun(Path dir) throws Exception {
    java.util.regex.Matcher m = PID_SUFFIX.matcher(dir.getFileName().toString());
    if (m.matches() && Files.isDirectory(dir.getParent())) {
      try (java.util.stream.Stream<Path> siblings = Files.list(dir.getParent())) {
        for (Path other : siblings.toList()) {
          java.util.regex.Matcher o = PID_SUFFIX.matcher(other.getFileName().toString());
          if (!other.equals(dir) && o.matches() && o.group(1).equals(m.group(1))
              && ProcessHandle.of(Long.parseLong(o.group(2))).isEmpty()) {
            removeTrainingDir(other);
          }
        }
      }
    }
    removeTrainingDir(dir);
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    // a merged-/usr host's /bin, /lib ... are links into /usr, which the run binds: the image has the same links
    for (String top : HOST_DIRS) {
      Path host = Path.of("/" + top);
      if (Files.isSymbolicLink(host)) {
        Files.createSymbolicLink(rootfs.resolve(top), Files.readSymbolicLink(host));
      }
    }
    dev.jbuild.store.Store s = dev.jbuild.store.Store.open(dev.jbuild.store.StoreRoot.of(dir.resolve("store")));
    try (AutoCloseable ingest = s.gcLock().shared()) {
      dev.jbuild.store.oci.Descriptor d = new dev.jbuild.store.image.RootfsImporter(s,
          dev.jbuild.store.layer.LayerOptions.defaults(), Instant.EPOCH)
          .importPath(rootfs, dev.jbuild.store.oci.ContainerConfig.EMPTY);
      s.layout().tag(Images.parseName("train:latest"), d);
    }
  }

  private static final List<String> HOST_DIRS = List.of("bin", "sbin", "lib", "lib64");
  private static final java.util.regex.Pattern PID_SUFFIX = java.util.regex.Pattern.compile("(.+)\\.([0-9]{1,10})");

  /**
   * What {@code jbuild run} does, in the recording JVM: the steps of a bridged run that take no host
   * resource, then a real foreground run on the training store (the host's /usr, and /bin, /lib ...
   * where they are directories, bound read-only; a failure to start still walks the path).
   */
  private void trainRun(Path dir) throws Exception {
    Path store = dir.resolve("store");
    Map<String, String> env = new HashMap<>(ctx.env());
    env.put("JBUILD_ROOT", store.toString());
    Jbuild.Context runCtx = new Jbuild.Context(ctx.out(), ctx.err(), Map.copyOf(env));
    BridgeNetwork.defaults().plan(ContainerId.random().hex(), dir.resolve("netns"),
        List.of(dev.jbuild.runtime.net.PortMapping.parse("127.0.0.1:8080:80")));
    CniResult.parse("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.218.0.2/24\",\"gateway\":\"10.218.0.1\"}]}").ipv4();
    DnsFiles.write(Files.createDirectories(dir.resolve("etc")), DnsFiles.HostFiles.SYSTEM, "train", Optional.of("10.218.0.2"),
        List.of(), List.of(), false);
    List<String> args = new java.util.ArrayList<>(List.of("run", "--rm", "--network", "none", "-e", "A=1", "-w", "/"));
    if (Files.isDirectory(Path.of("/usr"))) {
      args.addAll(List.of("-v", "/usr:/usr:ro"));
    }
    for (String top : HOST_DIRS) {
      Path host = Path.of("/" + top);
      if (Files.isDirectory(host, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        args.addAll(List.of("-v", host + ":" + host + ":ro"));
      }
    }
    args.addAll(List.of("train", "/bin/true"));
    RunCommand.parseFast(runCtx, args.toArray(String[]::new)).orElseThrow().call();
  }

  /** Deletes a training directory, after reaping its dead containers; never through a mount still under it. */
  private void removeTrainingDir(Path dir) throws IOException {
    Path store = dir.resolve("store");
    if (StoreCommand.hasContainers(dev.jbuild.store.StoreRoot.of(store))) {
      new dev.jbuild.runtime.Runtime(dev.jbuild.runtime.RuntimeConfig.defaults(store, ctx.env())).reap();
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 1 && (f[1].equals(dir.toString()) || f[1].startsWith(dir + "/"))) {
        throw new dev.jbuild.store.JbuildException(dir.toString(), "still mounted under the training directory: " + f[1], null);
      }
    }
    ContainerStore.deleteTree(dir);
  }

  private void train(Path tmp) throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createDirectories(rootfs.resolve("bin"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    Files.writeString(rootfs.resolve("bin/true"), "#!/bin/sh\n");
    Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("true"));

    Map<String, String> env = new HashMap<>(ctx.env());
    Path store = tmp.resolve("store");
    env.put("JBUILD_ROOT", store.toString());
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    Jbuild.execute(quiet, quiet, env, "import", rootfs.toString(), "train:latest");
    Jbuild.execute(quiet, quiet, env, "images");
    Jbuild.execute(quiet, quiet, env, "inspect", "train");
    Jbuild.execute(quiet, quiet, env, "ps", "-a");

    // what run does before the runtime mounts anything
    CommandLine cl = Jbuild.commandLine(quiet, quiet, env);
    CommandLine.ParseResult pr = cl.parseArgs("run", "--rm", "-e", "A=1", "-p", "127.0.0.1:8080:80",
        "-v", "/tmp:/data:ro", "--memory", "64m", "train", "/bin/true");
    RunCommand run = (RunCommand) pr.subcommand().commandSpec().userObject();
    dev.jbuild.store.Store s = dev.jbuild.store.Store.open(dev.jbuild.store.StoreRoot.of(store));
    Image img = new Images(s).resolve("train");
    List<Path> lowers = new ImageSnapshots(s).ensure(img);
    ContainerSpec spec = new ImageRunSpec(null, List.of("/bin/true"), List.of("A=1"), null, null)
        .applyTo(img.config().configOrEmpty(), run.flags());

    ContainerStore containers = new ContainerStore(store);
    ContainerId id = ContainerId.random();
    long self = ProcessHandle.current().pid();
    Path dir = containers.create(new ContainerState(id, "train", Instant.now().toString(), spec, lowers, "none",
        ContainerState.CREATED, self, Reaper.startOf(self), null, false, true, null, null, null, List.of(), List.of()));
    containers.update(id, st -> st.plusResource(new Resource.OverlayRootfs(dir.resolve("rootfs"))));
    ResolvedUser user = new UserResolver(rootfs).resolve("nobody");
    List<RuntimeSpec.Mount> dns = DnsFiles.write(dir.resolve("etc"), DnsFiles.HostFiles.SYSTEM, id.shortId(),
        Optional.of("10.0.0.2"), List.of(), List.of(), false);
    RuntimeSpec rs = new SpecGenerator(HostLimits.read()).generate(spec,
        new SpecGenerator.Inputs("rootfs", user, id.shortId(), Optional.empty(), dns, "/jbuild/" + id.hex()));
    rs.writeTo(dir);
    BridgeNetwork.defaults().plan(id.hex(), dir.resolve("netns"), List.of(dev.jbuild.runtime.net.PortMapping.parse("8080:80")));
    CniResult.parse("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.218.0.2/24\",\"gateway\":\"10.218.0.1\"}]}").ipv4();
    // releasing a ledger (its switch over the resource kinds) without any host resource: a scratch dir
    dev.jbuild.runtime.container.ResourceLedger ledger = new dev.jbuild.runtime.container.ResourceLedger(containers, id,
        new RuncRuntime(Path.of("runc"), tmp.resolve("runc")), null);
    containers.update(id, st -> st.withResources(List.of()));
    ledger.record(new Resource.Directory(Files.createDirectories(dir.resolve("scratch"))));
    ledger.close();
    List.of(new dev.jbuild.runtime.oci.Stdio.NoInput(), dev.jbuild.runtime.oci.Stdio.inherit(),
        new dev.jbuild.runtime.oci.Stdio.Terminal(dev.jbuild.runtime.oci.Stdio.pipe())).hashCode();
    containers.update(id, st -> st.withResources(List.of()).withExit(0, Instant.now().toString()));
    containers.list();
    new Reaper(containers, new RuncRuntime(Path.of("runc"), tmp.resolve("runc")), null).reapDead();
    containers.delete(id);

    // push and pull, through their fast parsers, against a registry in this process on 127.0.0.1
    Map<String, String> regEnv = new HashMap<>(env);
    regEnv.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
    Map<String, String> pullEnv = new HashMap<>(regEnv);
    pullEnv.put("JBUILD_ROOT", tmp.resolve("pulled").toString());
    try (TrainingRegistry registry = new TrainingRegistry()) {
      String ref = registry.address() + "/train/app:1";
      PushCommand.parseFast(new Jbuild.Context(quiet, quiet, Map.copyOf(regEnv)), new String[] {"push", "train", ref})
          .orElseThrow().call();
      PullCommand.parseFast(new Jbuild.Context(quiet, quiet, Map.copyOf(pullEnv)), new String[] {"pull", ref})
          .orElseThrow().call();
    }

    // the Buildfile front end, as `build --check` and every build start with it
    Jbuild.execute(quiet, quiet, env, "images", "--format", "json");
    dev.jbuild.store.ref.ImageRef.parse("localhost:5000/team/app:1");
    dev.jbuild.builder.plan.BuildfileChecker.check("Buildfile", BUILDFILE, dev.jbuild.builder.plan.BuildOptions.defaults());

    // a build and the same build again, fully cached, in both spellings (no RUN: nothing is mounted)
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("f"), "hello\n");
    Files.writeString(context.resolve("Buildfile"), CACHED_BUILDFILE);
    for (String[] args : List.of(new String[] {"build", "-t", "train:build", context.toString()},
        new String[] {"-f", context.resolve("Buildfile").toString(), "-q", "-t", "train:build", context.toString()})) {
      int code = Jbuild.execute(quiet, quiet, env, args);
      if (code != 0) {
        throw new IllegalStateException("the training build exited " + code);
      }
    }
  }

  private static final String CACHED_BUILDFILE = """
      FROM scratch
      COPY f /app/f
      ENV A=1
      WORKDIR /app
      LABEL org.opencontainers.image.title=train
      CMD ["/app/f"]
      """;

  private static final String BUILDFILE = """
      # syntax=docker/dockerfile:1
      ARG BASE=scratch
      FROM ${BASE} AS build
      ENV GREETING=hello APP_HOME=/app
      WORKDIR /app
      COPY --chown=0:0 . /app/
      RUN --mount=type=cache,target=/root/.cache echo "$GREETING" > /app/greeting.txt
      FROM build
      LABEL org.opencontainers.image.title=train
      EXPOSE 80/tcp
      HEALTHCHECK --interval=30s CMD ["/bin/true"]
      CMD ["/bin/sh", "-c", "cat /app/greeting.txt"]
      """;
}
