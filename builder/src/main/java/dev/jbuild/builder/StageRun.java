package dev.jbuild.builder;

import dev.jbuild.builder.cache.CacheKey;
import dev.jbuild.builder.cache.CacheRecord;
import dev.jbuild.builder.cache.StepInputs;
import dev.jbuild.builder.context.ContextMatch;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.builder.event.StepId;
import dev.jbuild.builder.exec.FileCopier;
import dev.jbuild.builder.exec.LayerCommit;
import dev.jbuild.builder.exec.MountStubs;
import dev.jbuild.builder.exec.RootfsPaths;
import dev.jbuild.builder.exec.RootfsSources;
import dev.jbuild.builder.exec.RunExecutor;
import dev.jbuild.builder.exec.StepRootfs;
import dev.jbuild.builder.instruction.Add;
import dev.jbuild.builder.instruction.Arg;
import dev.jbuild.builder.instruction.Cmd;
import dev.jbuild.builder.instruction.CommandForm;
import dev.jbuild.builder.instruction.Copy;
import dev.jbuild.builder.instruction.Entrypoint;
import dev.jbuild.builder.instruction.Env;
import dev.jbuild.builder.instruction.ExecForm;
import dev.jbuild.builder.instruction.Expose;
import dev.jbuild.builder.instruction.From;
import dev.jbuild.builder.instruction.Healthcheck;
import dev.jbuild.builder.instruction.InlineFile;
import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.KeyValue;
import dev.jbuild.builder.instruction.Label;
import dev.jbuild.builder.instruction.Maintainer;
import dev.jbuild.builder.instruction.Onbuild;
import dev.jbuild.builder.instruction.PortSpec;
import dev.jbuild.builder.instruction.Run;
import dev.jbuild.builder.instruction.RunMount;
import dev.jbuild.builder.instruction.Shell;
import dev.jbuild.builder.instruction.ShellForm;
import dev.jbuild.builder.instruction.StopSignal;
import dev.jbuild.builder.instruction.User;
import dev.jbuild.builder.instruction.Volume;
import dev.jbuild.builder.instruction.Workdir;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.builder.plan.Planner;
import dev.jbuild.builder.plan.Stage;
import dev.jbuild.builder.plan.StageEnv;
import dev.jbuild.builder.step.ImageState;
import dev.jbuild.runtime.oci.RuntimeFailureException;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.ResolvedUser;
import dev.jbuild.runtime.spec.UserResolver;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.archive.LayoutImage;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Builds one stage: its base (scratch, a local image or an earlier stage), the base's ONBUILD triggers, then
 * each instruction in order, expanded by the stage's {@link StageEnv}. Every step except ARG goes through the
 * same path: compute its {@link StepInputs}, derive the {@link CacheKey}, reuse a record on a hit, otherwise
 * execute and store a record. Not thread-safe: one stage, one thread.
 */
final class StageRun {
  /** A finished stage: its final state, and how many layers and history entries its base had. */
  record Result(ImageState state, int baseLayers, int baseHistory) {}

  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  private final BuildSession s;
  private final Stage stage;
  private ImageState state;
  private StageEnv env;
  private boolean cmdSet;

  StageRun(BuildSession session, Stage stage) {
    this.s = session;
    this.stage = stage;
  }

  Result run() throws IOException, InterruptedException {
    state = base();
    int baseLayers = state.layers().size();
    int baseHistory = state.config().history().size();
    env = s.plan.stageEnv(stage.index(), state.containerConfig().env());
    List<Pending> todo = new ArrayList<>();
    List<String> triggers = state.containerConfig().onBuild();
    if (!triggers.isEmpty()) {
      List<Instruction> typed = Planner.parseTriggers(triggers);
      for (int i = 0; i < typed.size(); i++) {
        // a trigger's range points into its ONBUILD text; errors are placed at this stage's FROM
        todo.add(new Pending(typed.get(i), stage.from().range(), "ONBUILD " + triggers.get(i)));
      }
      // triggers run once, in the first image built on top: the new image does not inherit them
      state = state.withContainerConfig(state.containerConfig().withOnBuild(List.of()));
    }
    for (Instruction in : stage.instructions()) {
      todo.add(new Pending(in, in.range(), text(in)));
    }
    int total = todo.size();
    for (int i = 0; i < todo.size(); i++) {
      step(todo.get(i), i + 1, total);
    }
    return new Result(state, baseLayers, baseHistory);
  }

  /** An instruction to run, where errors about it are placed, and how progress shows it. */
  private record Pending(Instruction instruction, SourceRange at, String text) {}

  private ImageState base() throws IOException, InterruptedException {
    if (stage.baseStage().isPresent()) {
      ImageState st = awaitStage(stage.baseStage().getAsInt()).state();
      return st;
    }
    if (stage.fromScratch()) {
      // --platform names the platform of an image built FROM scratch (and keys it: the config differs)
      Platform p = stagePlatform();
      return new ImageState(ImageConfig.of(p), List.of(),
          CacheKey.root(p.equals(Platform.LINUX_AMD64) ? "scratch" : "scratch " + p));
    }
    Image img = findImage(stage.base(), stage.from().range());
    return new ImageState(img.config(), img.layers(), CacheKey.root("image " + img.manifestDigest()));
  }

  private Image findImage(String name, SourceRange at) throws IOException {
    if (LayoutImage.Ref.matches(name)) {
      return layoutImage(name, at);
    }
    Optional<Image> img;
    try {
      img = s.images.find(name);
    } catch (JbuildException e) {
      throw new StepFailedException(at, "invalid image name \"" + name + "\": " + e.getMessage(), -1, List.of(), e);
    }
    // docker's rule: a local image of that name wins; only a missing one is pulled (--pull: every
    // name is resolved again, but an id or a digest names the same image wherever it is)
    BaseImageSource.Policy policy = s.baseImages.policy();
    boolean fits = img.isPresent() && (stage.platform().isPresent()
        ? fitsPlatform(img.get(), stagePlatform()) : s.baseImages.accepts(img.get()));
    boolean askRegistry = policy == BaseImageSource.Policy.ALWAYS || policy == BaseImageSource.Policy.NEWER;
    if (img.isPresent() && (isIdOrDigest(name) || (!askRegistry && fits))) {
      return img.get();
    }
    if (policy == BaseImageSource.Policy.NEVER) {
      throw new StepFailedException(at, "image " + name + (img.isEmpty() ? " is not in the local store"
          : " in the local store is for " + img.get().config().platform() + ", another platform") + " (--pull=never)",
          -1, List.of(), null);
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(name);
    } catch (JbuildException e) {
      throw new StepFailedException(at, "invalid image name \"" + name + "\": " + e.getMessage(), -1, List.of(), e);
    }
    s.listener.on(new BuildEvent.Message("pulling " + ref.familiar()));
    try {
      return s.baseImages.fetch(ref, stagePlatform());
    } catch (JbuildException | IOException e) {
      String why = e instanceof JbuildException je ? je.describe() : e.getMessage();
      if (policy == BaseImageSource.Policy.NEWER && img.isPresent() && fits) {
        s.listener.on(new BuildEvent.Message("[Warning] " + at + ": pulling " + ref.familiar() + " failed (" + why
            + "); using the local image (--pull=newer)"));
        return img.get();
      }
      throw new StepFailedException(at, "pulling " + ref.familiar() + ": " + why, -1, List.of(), e);
    }
  }

  /**
   * {@code oci-layout://DIR[:TAG|@DIGEST]} or {@code oci-archive://FILE[:TAG|@DIGEST]}: the image is copied
   * from a local OCI layout into the store (verified); a relative path is taken from the context directory.
   */
  private Image layoutImage(String name, SourceRange at) throws IOException {
    try {
      LayoutImage.Ref ref = LayoutImage.Ref.parse(name, s.request.contextDir().toAbsolutePath());
      Image img = new LayoutImage(s.store).fetch(ref, stagePlatform());
      s.listener.on(new BuildEvent.Message("using " + name + " (" + img.manifestDigest() + ")"));
      return img;
    } catch (IOException | RuntimeException e) {
      throw new StepFailedException(at, name + ": " + message(e), -1, List.of(), e);
    }
  }

  /**
   * The platform of this stage's base image: its own {@code FROM --platform=P} (often
   * {@code $BUILDPLATFORM}, for a stage that compiles on the host for another target), else the
   * build's {@code --platform}.
   */
  private Platform stagePlatform() {
    return stage.platform().map(Platform::parse).orElseGet(s.baseImages::platform);
  }

  /** Whether a local image is for {@code wanted}; an image whose config names no platform fits any. */
  private static boolean fitsPlatform(Image local, Platform wanted) {
    return !hasPlatform(local.config()) || dev.jbuild.store.registry.PlatformSelector.matches(wanted, local.config().platform());
  }

  /** The platform RUN steps execute on. */
  private static final Platform HOST = new Platform(switch (System.getProperty("os.arch")) {
    case "x86_64", "amd64" -> "amd64";
    case "aarch64" -> "arm64";
    default -> System.getProperty("os.arch");
  }, "linux", null, null, null);

  /** True when a config names its platform (some old images leave it out: they are taken for the host's). */
  private static boolean hasPlatform(ImageConfig c) {
    return c.architecture() != null && !c.architecture().isEmpty() && c.os() != null && !c.os().isEmpty();
  }

  /** An image id (or a prefix of one), a digest, or a name pinned by digest. */
  private static boolean isIdOrDigest(String name) {
    return name.matches("[0-9a-f]{12,64}") || name.startsWith("sha256:") || name.contains("@");
  }

  private StageRun.Result awaitStage(int index) throws InterruptedException, IOException {
    try {
      return s.stages.get(index).get();
    } catch (ExecutionException | CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("stage " + index + " failed", c);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void step(Pending pending, int index, int total) throws IOException, InterruptedException {
    Instruction raw = pending.instruction();
    Instruction in = env.expand(raw);
    StepId id = new StepId(s.stepNumber.incrementAndGet(), stage.displayName(), index, total, pending.text());
    long t0 = System.nanoTime();
    try {
      switch (in) {
        case Arg a -> {
          s.emit(new BuildEvent.StepStarted(id));
        }
        case From f -> throw new IllegalStateException("[internal error] FROM inside a stage");
        case Run r -> run(id, r);
        case Copy c -> copy(id, c.sources(), c.inlineSources(), c.destination(), c.from(), c.chown(), c.chmod(),
            c.excludes(), c.parents(), c.link(), Optional.empty(), false, c);
        case Add a -> copy(id, a.sources(), a.inlineSources(), a.destination(), Optional.empty(), a.chown(), a.chmod(),
            a.excludes(), false, a.link(), a.checksum(), a.unpack().orElse(true), a);
        case Cmd c -> metadata(id, in, cc -> {
          cmdSet = true;
          return cc.withCmd(command(c.command(), cc));
        });
        case Entrypoint e -> metadata(id, in, cc -> {
          ContainerConfig n = cc.withEntrypoint(command(e.command(), cc));
          // as docker: an ENTRYPOINT drops a CMD inherited from the base (not one set earlier in this stage)
          return cmdSet ? n : n.withCmd(List.of());
        });
        case Env e -> metadata(id, in, cc -> {
          for (KeyValue kv : e.vars()) {
            cc = cc.withEnv(kv.key(), kv.value());
          }
          return cc;
        });
        case Label l -> metadata(id, in, cc -> {
          for (KeyValue kv : l.labels()) {
            cc = cc.withLabel(kv.key(), kv.value());
          }
          return cc;
        });
        case Expose e -> metadata(id, in, cc -> {
          for (String p : e.ports()) {
            PortSpec ps = PortSpec.parse(p);
            for (int port = ps.first(); port <= ps.last(); port++) {
              cc = cc.withExposedPort(port + "/" + ps.protocol());
            }
          }
          return cc;
        });
        case Volume v -> metadata(id, in, cc -> {
          for (String p : v.paths()) {
            cc = cc.withVolume(p);
          }
          return cc;
        });
        case User u -> metadata(id, in, cc -> cc.withUser(u.user()));
        case Workdir w -> workdir(id, w);
        case StopSignal st -> metadata(id, in, cc -> cc.withStopSignal(st.signal()));
        case Healthcheck h -> metadata(id, in, cc -> cc.withHealthcheck(h.disabled()
            ? dev.jbuild.store.oci.Healthcheck.none()
            : new dev.jbuild.store.oci.Healthcheck(h.test(), h.interval(), h.timeout(), h.startPeriod(),
                h.startInterval(), h.retries())));
        case Shell sh -> metadata(id, in, cc -> cc.withShell(sh.shell()));
        case Onbuild o -> metadata(id, in, cc -> {
          List<String> all = new ArrayList<>(cc.onBuild());
          all.add(o.expression());
          return cc.withOnBuild(all);
        });
        case Maintainer m -> metadata(id, in, cc -> cc);
      }
      s.emit(new BuildEvent.StepFinished(id, Duration.ofNanos(System.nanoTime() - t0), Optional.empty()));
    } catch (StepFailedException e) {
      s.emit(new BuildEvent.StepFinished(id, Duration.ofNanos(System.nanoTime() - t0), Optional.of(e.getMessage())));
      throw e;
    } catch (BuildfileException e) {
      s.emit(new BuildEvent.StepFinished(id, Duration.ofNanos(System.nanoTime() - t0), Optional.of(e.getMessage())));
      throw e;
    } catch (IOException | RuntimeException e) {
      s.emit(new BuildEvent.StepFinished(id, Duration.ofNanos(System.nanoTime() - t0), Optional.of(String.valueOf(e.getMessage()))));
      throw new StepFailedException(pending.at(), raw.keyword() + " failed: " + message(e), -1, List.of(), e);
    }
  }

  private static String message(Exception e) {
    if (e instanceof JbuildException j) {
      return j.describe();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The instruction as written (continuation lines joined), for progress and history. */
  private String text(Instruction in) {
    SourceRange r = in.range();
    StringBuilder sb = new StringBuilder();
    for (int l = r.start().line(); l <= r.end().line(); l++) {
      String line = s.parsed.line(l).strip();
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(line.endsWith("\\") ? line.substring(0, line.length() - 1).strip() : line);
    }
    return sb.toString();
  }

  /** The instruction's value for the cache key: the expanded record without its place in the file. */
  private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("range=[^,\\]\\[]*(\\[[^\\]]*\\])?");

  // the instruction's record text without its source position (RecordText: the same text as toString)
  static String canonical(Instruction in) {
    return RANGE.matcher(RecordText.of(in)).replaceAll("");
  }

  private static String workdir(ContainerConfig cc) {
    return cc.workingDir() == null ? "/" : cc.workingDir();
  }

  private List<String> shell(ContainerConfig cc) {
    return cc.shell().isEmpty() ? DEFAULT_SHELL : cc.shell();
  }

  private List<String> command(CommandForm f, ContainerConfig cc) {
    return switch (f) {
      case ExecForm e -> e.args();
      case ShellForm sh -> {
        List<String> a = new ArrayList<>(shell(cc));
        a.add(sh.command());
        yield a;
      }
    };
  }

  private static String json(List<String> l) {
    return new String(OciJson.write(l), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface ConfigChange {
    ContainerConfig apply(ContainerConfig cc);
  }

  private void metadata(StepId id, Instruction in, ConfigChange change) throws IOException {
    ContainerConfig cc = state.containerConfig();
    StepInputs inputs = StepInputs.builder().put("instruction", canonical(in)).build();
    CacheKey key = CacheKey.of(state.key(), inputs);
    ContainerConfig next = change.apply(cc);
    String createdBy = switch (in) {
      case Cmd c -> "CMD " + json(next.cmd());
      case Entrypoint e -> "ENTRYPOINT " + json(next.entrypoint());
      default -> id.text();
    };
    // metadata steps are cheap to redo, but their records keep history timestamps stable across cached builds
    Optional<CacheRecord> hit = lookup(key);
    CacheRecord rec;
    if (hit.isPresent()) {
      rec = hit.get();
      s.emit(new BuildEvent.StepCached(id));
    } else {
      s.emit(new BuildEvent.StepStarted(id));
      rec = new CacheRecord(null, null, next, HistoryEntry.empty(s.created, createdBy));
      s.cache.store(key, rec);
    }
    s.used(stage.index(), key, rec);
    state = state.apply(rec, key);
  }

  /**
   * WORKDIR sets the working directory and, as docker does, creates it when the image lacks it: then the step
   * is a layer holding the new directories (mode 0755, owned by the USER as BuildKit does), else an empty
   * history entry.
   */
  private void workdir(StepId id, Workdir w) throws IOException {
    ContainerConfig cc = state.containerConfig();
    String dir = w.path().startsWith("/") ? RootfsPaths.clean(w.path()) : RootfsPaths.clean(workdir(cc) + "/" + w.path());
    ContainerConfig next = cc.withWorkingDir(dir);
    StepInputs inputs = StepInputs.builder().put("instruction", canonical(w)).put("workdir", dir)
        .put("user", cc.user() == null ? "" : cc.user()).build();
    CacheKey key = CacheKey.of(state.key(), inputs);
    Optional<CacheRecord> hit = lookup(key);
    if (hit.isPresent()) {
      s.emit(new BuildEvent.StepCached(id));
      s.used(stage.index(), key, hit.get());
      state = state.apply(hit.get(), key);
      return;
    }
    s.emit(new BuildEvent.StepStarted(id));
    Optional<LayerCommit.Committed> layer = Optional.empty();
    if (!dir.equals("/")) {
      List<Path> lowers = s.snapshots.lowers(state.layers(), state.diffIds());
      try (StepRootfs rootfs = StepRootfs.mount(s.tmp, lowers, Optional.empty())) {
        Path root = rootfs.rootfs();
        if (!Files.isDirectory(RootfsPaths.resolve(root, dir))) {
          long uid = 0;
          long gid = 0;
          if (cc.user() != null && !cc.user().isEmpty()) {
            ResolvedUser u = new UserResolver(root).resolve(cc.user());
            uid = u.uid();
            gid = u.gid();
          }
          RootfsPaths.mkdirs(root, dir, uid, gid);
        }
        layer = LayerCommit.commit(rootfs, state.diffIds(), s.store.blobs(), s.snapshots.store(), s.layerOptions);
      }
    }
    record(key, layer, next, id.text());
  }

  private Optional<CacheRecord> lookup(CacheKey key) {
    if (s.request.noCache() || s.request.noCacheFilter().contains(stage.displayName())
        || stage.name().map(n -> s.request.noCacheFilter().contains(n)).orElse(false)) {
      return Optional.empty();
    }
    return s.cache.lookup(key, s.store.blobs());
  }

  /** The name under which the last inputs of this step are remembered. */
  private String stepName(StepId id) {
    return s.request.buildfile().toAbsolutePath() + "|" + stage.index() + "|" + id.index();
  }

  /**
   * Looks the step up; on a miss reports why and returns empty. Remembers the inputs either way.
   */
  private Optional<CacheRecord> cached(StepId id, CacheKey key, StepInputs inputs) throws IOException {
    Optional<CacheRecord> hit = lookup(key);
    String name = stepName(id);
    Map<String, String> remembered = new LinkedHashMap<>(inputs.entries());
    remembered.put("parent", state.key().toString());
    StepInputs now = new StepInputs(remembered);
    Optional<StepInputs> before = s.cache.lastInputs(name);
    if (hit.isEmpty()) {
      String reason;
      if (s.request.noCache()) {
        reason = "--no-cache";
      } else if (before.isEmpty()) {
        reason = "first build of this step";
      } else {
        List<String> changed = now.whatChanged(before.get());
        if (changed.isEmpty()) {
          reason = "no cache record (pruned, or built with another store)";
        } else if (changed.size() == 1 && changed.get(0).startsWith("parent")) {
          reason = "an earlier step changed";
        } else {
          reason = String.join(", ", changed.stream().filter(c -> !c.startsWith("parent")).toList());
        }
      }
      s.emit(new BuildEvent.CacheMiss(id, reason));
    }
    // the maps compared directly: a record's equals is bootstrapped on first use, milliseconds in a fresh JVM
    if (before.isEmpty() || !before.get().entries().equals(now.entries())) {
      // a rebuild with nothing changed writes nothing
      s.cache.rememberInputs(name, now);
    }
    return hit;
  }

  // ---------------------------------------------------------------------------------------------

  private void run(StepId id, Run r) throws IOException, InterruptedException {
    ImageConfig base = state.config();
    if (hasPlatform(base) && !dev.jbuild.store.registry.PlatformSelector.matches(HOST, base.platform())) {
      throw new StepFailedException(r.range(), "RUN would execute a " + base.platform() + " image on this " + HOST
          + " host: jbuild runs RUN steps only on the host's platform (no emulation)", -1, List.of(), null);
    }
    ContainerConfig cc = state.containerConfig();
    List<String> args = switch (r.command()) {
      case ExecForm e -> e.args();
      case ShellForm sh -> {
        List<String> a = new ArrayList<>(shell(cc));
        a.add(script(sh.command(), r.files()));
        yield a;
      }
    };
    NetworkMode net = switch (r.network()) {
      case DEFAULT -> s.request.network();
      case NONE -> NetworkMode.NONE;
      case HOST -> NetworkMode.HOST;
    };
    StepInputs.Builder b = StepInputs.builder()
        .put("instruction", canonical(r))
        .put("command", json(args))
        .put("user", cc.user() == null ? "" : cc.user())
        .put("workdir", workdir(cc))
        .put("shell", json(shell(cc)));
    env.env().forEach((k, v) -> b.put("env:" + k, v));
    env.args().forEach((k, v) -> {
      if (!StageEnv.PROXY_ARGS.contains(k)) {
        b.put("arg:" + k, v);
      }
    });
    RunMounts mounts = new RunMounts(s, this::stageState, r.mounts());
    mounts.cacheInputs(b);
    StepInputs inputs = b.build();
    CacheKey key = CacheKey.of(state.key(), inputs);
    Optional<CacheRecord> hit = cached(id, key, inputs);
    if (hit.isPresent()) {
      s.emit(new BuildEvent.StepCached(id));
      s.used(stage.index(), key, hit.get());
      state = state.apply(hit.get(), key);
      return;
    }
    s.emit(new BuildEvent.StepStarted(id));
    List<String> runEnv = new ArrayList<>(env.runEnvironment());
    List<String> history = env.historyArgs();
    String createdBy = "RUN " + (history.isEmpty() ? "" : "|" + history.size() + " " + String.join(" ", history) + " ")
        + (r.command() instanceof ExecForm ? json(args) : String.join(" ", args));
    List<Path> lowers = s.snapshots.lowers(state.layers(), state.diffIds());
    try (RunMounts.Prepared prepared = mounts.prepare(runEnv)) {
      Optional<Path> netns = Optional.empty();
      Optional<String> ip = Optional.empty();
      if (net == NetworkMode.BRIDGE) {
        netns = Optional.of(s.network().netns());
        ip = s.network().ip();
      }
      RunExecutor.Command command = new RunExecutor.Command(args, prepared.env(), cc.user(), workdir(cc), net, netns, ip,
          prepared.volumes());
      Optional<LayerCommit.Committed> layer;
      try (StepRootfs rootfs = StepRootfs.mount(s.tmp, lowers,
          Optional.of(new MountStubs(RunExecutor.mountPoints(command))))) {
        RunExecutor.Outcome outcome;
        try {
          outcome = s.executor.run(rootfs, command, (line, err) -> s.emit(new BuildEvent.StepOutput(id, line, err)));
        } catch (RuntimeFailureException e) {
          throw new StepFailedException(r.range(), "RUN could not start: " + e.getMessage(), e.exitCode(),
              e.lastLines(), e);
        }
        if (outcome.exitCode() != 0) {
          throw new StepFailedException(r.range(), "RUN " + (r.command() instanceof ExecForm ? json(args)
              : ((ShellForm) r.command()).command()) + " failed with exit code " + outcome.exitCode()
              + (outcome.lastLines().isEmpty() ? "" : ":\n  " + String.join("\n  ", outcome.lastLines())),
              outcome.exitCode(), outcome.lastLines(), null);
        }
        layer = LayerCommit.commit(rootfs, state.diffIds(), s.store.blobs(), s.snapshots.store(), s.layerOptions);
      }
      record(key, layer, cc, createdBy);
    }
  }

  /** A shell-form RUN's script: heredoc bodies appended (the shell reads them), or the body alone for {@code RUN <<EOF}. */
  private static String script(String command, List<InlineFile> files) {
    if (files.isEmpty()) {
      return command;
    }
    if (files.size() == 1 && command.strip().matches("<<-?[\"']?" + java.util.regex.Pattern.quote(files.get(0).name())
        + "[\"']?")) {
      return files.get(0).effectiveData();
    }
    StringBuilder sb = new StringBuilder(command);
    for (InlineFile f : files) {
      sb.append('\n').append(f.data());
      if (!f.data().endsWith("\n")) {
        sb.append('\n');
      }
      sb.append(f.name());
    }
    return sb.toString();
  }

  private void record(CacheKey key, Optional<LayerCommit.Committed> layer, ContainerConfig cc, String createdBy)
      throws IOException {
    CacheRecord rec = layer.isPresent()
        ? new CacheRecord(layer.get().blob(), layer.get().diffId(), cc, HistoryEntry.layer(s.created, createdBy))
        : new CacheRecord(null, null, cc, HistoryEntry.empty(s.created, createdBy));
    s.cache.store(key, rec);
    s.used(stage.index(), key, rec);
    state = state.apply(rec, key);
  }

  /** The final state of an earlier stage named or numbered {@code ref}, if it is a stage. */
  Optional<ImageState> stageState(String ref) throws IOException, InterruptedException {
    Optional<Stage> st = s.plan.stage(ref);
    if (st.isEmpty() || st.get().index() >= stage.index()) {
      return Optional.empty();
    }
    return Optional.of(awaitStage(st.get().index()).state());
  }

  /** An image used as a source (COPY --from, RUN --mount from=): an earlier stage or a local image. */
  ImageState sourceState(String ref, SourceRange at) throws IOException, InterruptedException {
    Optional<ImageState> st = stageState(ref);
    if (st.isPresent()) {
      return st.get();
    }
    Image img = findImage(ref, at);
    return new ImageState(img.config(), img.layers(), CacheKey.root("image " + img.manifestDigest()));
  }

  // ---------------------------------------------------------------------------------------------

  /** What an ADD/COPY does besides its sources: where to, as whom, and how. */
  private record CopyHow(Optional<String> chown, OptionalInt mode, List<String> excludes, boolean parents, boolean link,
      boolean unpack, boolean add) {}

  private void copy(StepId id, List<String> sources, List<InlineFile> inline, String dest, Optional<String> from,
      Optional<String> chown, Optional<String> chmod, List<String> excludes, boolean parents, boolean link,
      Optional<String> checksum, boolean unpack, Instruction in) throws IOException, InterruptedException {
    boolean add = in instanceof Add;
    ContainerConfig cc = state.containerConfig();
    String target = dest.startsWith("/") ? dest : workdir(cc) + "/" + dest;
    if ((dest.endsWith("/") || parents) && !target.endsWith("/")) {
      // with --parents the destination is a directory the sources' parent paths go under
      target = target + "/";
    }
    StepInputs.Builder b = StepInputs.builder().put("instruction", canonical(in)).put("workdir", workdir(cc));
    List<CopySource> plan = new ArrayList<>();
    List<Urls.Downloaded> downloads = new ArrayList<>();
    CopyHow how = new CopyHow(chown, mode(chmod, in), excludes, parents, link, unpack, add);
    try {
      copyPlanned(id, sources, inline, from, checksum, in, how, cc, target, b, plan, downloads);
    } finally {
      for (Urls.Downloaded d : downloads) {
        Files.deleteIfExists(d.file());
      }
    }
  }

  private void copyPlanned(StepId id, List<String> sources, List<InlineFile> inline, Optional<String> from,
      Optional<String> checksum, Instruction in, CopyHow how, ContainerConfig cc, String target,
      StepInputs.Builder b, List<CopySource> plan, List<Urls.Downloaded> downloads)
      throws IOException, InterruptedException {
    ImageState fromState = null;
    if (from.isPresent()) {
      fromState = sourceState(from.get(), in.range());
      // keyed by what is copied, not by the source stage: a change elsewhere in that stage still hits
      for (Map.Entry<String, String> e : fromSums(fromState, sources, in, how).entrySet()) {
        String[] at = e.getKey().split(":", 3);
        String pattern = sources.get(Integer.parseInt(at[1]));
        plan.add(new CopySource.FromImage(at[2], kept(pattern, at[2], how.parents())));
        b.put("from-source:" + at[2], e.getValue());
      }
    } else {
      ContextMatch match = new ContextMatch(s.context);
      for (String src : sources) {
        if (how.add() && Urls.isUrl(src)) {
          Urls.Downloaded d = Urls.download(s.tmp, src, checksum, in.range());
          downloads.add(d);
          plan.add(new CopySource.Url(d));
          b.put("url:" + src, d.digest().toString());
          continue;
        }
        List<String> matched;
        if (hasGlob(src)) {
          matched = match.glob(src);
          if (matched.isEmpty()) {
            throw new StepFailedException(in.range(), "no source files were specified: \"" + src
                + "\" matches nothing in the build context", -1, List.of(), null);
          }
        } else {
          String rel = cleanContextPath(src);
          boolean hidden = s.context.isExcluded(rel) && !(Files.isDirectory(s.context.resolve(rel))
              && s.context.rules().mayReincludeBeneath(rel));
          if (!rel.equals(".") && (hidden || !Files.exists(s.context.resolve(rel)))) {
            throw new StepFailedException(in.range(), "\"" + src + "\" not found in the build context"
                + (hidden ? " (excluded by the ignore file)" : ""), -1, List.of(), null);
          }
          matched = List.of(rel);
        }
        for (String m : matched) {
          plan.add(new CopySource.Context(m, kept(src, m, how.parents())));
          b.put("source:" + m, s.checksums.checksum(m).toString());
        }
      }
    }
    for (InlineFile f : inline) {
      plan.add(new CopySource.Inline(f));
    }
    boolean destIsDir = target.endsWith("/");
    if (plan.size() > 1 && !destIsDir) {
      throw new StepFailedException(in.range(), "when using " + in.keyword()
          + " with more than one source file, the destination must be a directory and end with a /", -1, List.of(), null);
    }
    StepInputs inputs = b.build();
    CacheKey key = CacheKey.of(state.key(), inputs);
    Optional<CacheRecord> hit = cached(id, key, inputs);
    if (hit.isPresent()) {
      s.emit(new BuildEvent.StepCached(id));
      s.used(stage.index(), key, hit.get());
      state = state.apply(hit.get(), key);
      return;
    }
    s.emit(new BuildEvent.StepStarted(id));
    List<Path> lowers = s.snapshots.lowers(state.layers(), state.diffIds());
    Optional<LayerCommit.Committed> layer;
    // --link: the files are written into an empty tree, so the layer does not depend on the base's content
    try (StepRootfs rootfs = StepRootfs.mount(s.tmp, how.link() ? List.of() : lowers, Optional.empty());
        SourceRootfs src = fromState == null ? null : SourceRootfs.open(s, fromState)) {
      Path root = rootfs.rootfs();
      Optional<FileCopier.Owner> owner = Optional.empty();
      if (how.chown().isPresent()) {
        owner = Optional.of(how.link() ? ownerInBase(how.chown().get()) : owner(root, how.chown().get()));
      }
      FileCopier copier = new FileCopier(root);
      FileCopier.Options opts = new FileCopier.Options(owner, how.mode(), src != null,
          dev.jbuild.builder.context.IgnoreRules.of(how.excludes()));
      for (CopySource cs : plan) {
        switch (cs) {
          case CopySource.Context c -> {
            Path host = s.context.resolve(c.path());
            String to = c.kept().map(k -> joinDest(target, k)).orElse(target);
            boolean toDir = c.kept().isEmpty() ? destIsDir : Files.isDirectory(host);
            if (how.add() && how.unpack() && FileCopier.isArchive(host)) {
              copier.extract(host, to);
            } else {
              copier.copyFromContext(s.context, c.path(), to, toDir, opts);
            }
          }
          case CopySource.FromImage f -> {
            String to = f.kept().map(k -> joinDest(target, k)).orElse(target);
            copier.copyFromRootfs(src.root(), f.path(), to, f.kept().isEmpty() && destIsDir, opts);
          }
          case CopySource.Inline f -> copier.writeInline(f.file().name(), f.file().effectiveData(), target, destIsDir,
              opts);
          case CopySource.Url u -> copier.copyDownloaded(u.download().file(), u.download().name(), target, destIsDir,
              opts, u.download().mtime());
        }
      }
      if (how.parents()) {
        keptParentAttributes(plan, target, copier, opts, src);
      }
      layer = LayerCommit.commit(rootfs, state.diffIds(), s.store.blobs(), s.snapshots.store(), s.layerOptions);
    }
    record(key, layer, cc, id.text());
  }

  /**
   * The paths a {@code COPY --from} copies, each with the checksum of what it copies, keyed
   * {@code source:<index of the pattern>:<path>}. Remembered per source image content (its diffIDs) and
   * instruction, so a rebuild whose source stage is cached does not mount or read it again.
   */
  private Map<String, String> fromSums(ImageState fromState, List<String> sources, Instruction in, CopyHow how)
      throws IOException {
    // by the layers' diffIDs, which name the content exactly (a stage key does not, for a rerun RUN)
    String memo = "copy-from|" + fromState.diffIds() + "|" + canonical(in);
    Optional<StepInputs> known = s.cache.lastInputs(memo);
    if (known.isPresent()) {
      return known.get().entries();
    }
    Map<String, String> sums = new LinkedHashMap<>();
    try (SourceRootfs src = SourceRootfs.open(s, fromState)) {
      dev.jbuild.builder.context.IgnoreRules exclude = dev.jbuild.builder.context.IgnoreRules.of(how.excludes());
      for (int i = 0; i < sources.size(); i++) {
        String pattern = sources.get(i);
        List<String> matched = RootfsSources.glob(src.root(), pattern);
        if (matched.isEmpty()) {
          throw new StepFailedException(in.range(), "no source files were specified: \"" + pattern
              + "\" matches nothing in " + in.keyword() + " --from's image", -1, List.of(), null);
        }
        for (String m : matched) {
          try {
            sums.put("source:" + i + ":" + m, RootfsSources.checksum(src.root(), m, exclude).toString());
          } catch (JbuildException e) {
            throw new StepFailedException(in.range(), "\"" + pattern + "\": " + e.describe(), -1, List.of(), e);
          }
        }
      }
    }
    s.cache.rememberInputs(memo, new StepInputs(sums));
    return sums;
  }

  /**
   * With {@code --parents}, the part of a matched source path kept under the destination: the whole path
   * (relative to the context or image root), or what follows a {@code /./} pivot in the pattern.
   */
  static Optional<String> kept(String pattern, String matched, boolean parents) {
    if (!parents) {
      return Optional.empty();
    }
    String p = pattern;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.substring(p.startsWith("./") ? 2 : 1);
    }
    List<String> parts = new ArrayList<>(List.of(RootfsPaths.clean(matched).substring(1).split("/")));
    parts.removeIf(String::isEmpty);
    int pivot = p.indexOf("/./");
    if (pivot >= 0) {
      String before = RootfsPaths.clean(p.substring(0, pivot));
      int depth = before.equals("/") ? 0 : before.substring(1).split("/").length;
      parts = parts.subList(Math.min(depth, parts.size()), parts.size());
    }
    return Optional.of(String.join("/", parts));
  }

  /**
   * {@code --parents}: each kept parent directory under the destination takes the attributes of the
   * source directory it stands for, each once, outermost first.
   */
  private void keptParentAttributes(List<CopySource> plan, String target, FileCopier copier, FileCopier.Options opts,
      SourceRootfs src) throws IOException {
    java.util.Map<String, Path> parents = new java.util.TreeMap<>();
    for (CopySource cs : plan) {
      String path;
      Optional<String> kept;
      switch (cs) {
        case CopySource.Context c -> {
          path = c.path();
          kept = c.kept();
        }
        case CopySource.FromImage f -> {
          path = f.path();
          kept = f.kept();
        }
        default -> {
          continue;
        }
      }
      if (kept.isEmpty() || !path.endsWith(kept.get())) {
        continue;
      }
      String base = path.substring(0, path.length() - kept.get().length());
      String k = kept.get();
      for (int slash = k.indexOf('/'); slash > 0; slash = k.indexOf('/', slash + 1)) {
        String q = k.substring(0, slash);
        Path host = cs instanceof CopySource.Context ? s.context.resolve(base + q) : RootfsPaths.resolve(src.root(), base + q);
        parents.putIfAbsent(joinDest(target, q), host);
      }
    }
    for (java.util.Map.Entry<String, Path> e : parents.entrySet()) {
      copier.copyDirectoryAttributes(e.getValue(), e.getKey(), opts);
    }
  }

  private static String joinDest(String target, String kept) {
    return kept.isEmpty() ? target : RootfsPaths.clean(target + "/" + kept);
  }

  /** {@code --chown} names for a {@code --link} step: resolved in the base's files, which the layer does not see. */
  private FileCopier.Owner ownerInBase(String spec) throws IOException {
    try (SourceRootfs base = SourceRootfs.open(s, state)) {
      return owner(base.root(), spec);
    }
  }

  private static OptionalInt mode(Optional<String> chmod, Instruction in) {
    if (chmod.isEmpty()) {
      return OptionalInt.empty();
    }
    int m;
    try {
      m = Integer.parseInt(chmod.get(), 8);
    } catch (NumberFormatException e) {
      m = -1;
    }
    if (m < 0 || m > 07777) {
      throw new StepFailedException(in.range(), "invalid --chmod=" + chmod.get() + ": want an octal mode", -1,
          List.of(), null);
    }
    return OptionalInt.of(m);
  }

  private static boolean hasGlob(String p) {
    return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
  }

  private static String cleanContextPath(String p) {
    String c = RootfsPaths.clean(p);
    return c.equals("/") ? "." : c.substring(1);
  }

  /** {@code --chown=user[:group]}: names from the image's passwd and group; a user alone means the same gid. */
  private static FileCopier.Owner owner(Path root, String spec) throws IOException {
    ResolvedUser u = new UserResolver(root).resolve(spec);
    if (spec.indexOf(':') < 0) {
      return new FileCopier.Owner(u.uid(), u.uid());
    }
    return new FileCopier.Owner(u.uid(), u.gid());
  }

  /** One source of an ADD/COPY. */
  sealed interface CopySource {
    /** {@code kept}: with {@code --parents}, the path under the destination the source goes to. */
    record Context(String path, Optional<String> kept) implements CopySource {}

    record FromImage(String path, Optional<String> kept) implements CopySource {}

    record Inline(InlineFile file) implements CopySource {}

    record Url(Urls.Downloaded download) implements CopySource {}
  }
}
