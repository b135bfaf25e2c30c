package dev.jbuild.cli.command;

import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.Builder;
import dev.jbuild.builder.BaseImageSource;
import dev.jbuild.builder.cache.CacheExchange;
import dev.jbuild.builder.cache.CacheSpec;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.builder.event.BuildEvent;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.registry.ImagePusher;
import dev.jbuild.store.registry.TransferListener;
import dev.jbuild.store.registry.Registries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import dev.jbuild.builder.event.BuildListener;
import dev.jbuild.builder.output.ImageOutput;
import dev.jbuild.builder.plan.BuildOptions;
import dev.jbuild.builder.plan.BuildfileChecker;
import dev.jbuild.builder.plan.CheckReport;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.progress.ProgressRenderer;
import dev.jbuild.runtime.RuntimeConfig;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.Compression;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild build [options] CONTEXT} (also {@code jbuild -f Buildfile CONTEXT}): builds an image from a
 * Buildfile, showing progress on stderr and printing the image id on stdout.
 */
@Command(name = "build", description = "Build an image from a Buildfile.")
public final class BuildCommand extends StoreCommand {
  /** Buildfile names tried in the context, in order, without -f. */
  public static final List<String> DEFAULT_FILES = List.of("Buildfile", "Dockerfile", "Containerfile");

  @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context directory.")
  Path context;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Buildfile (default: CONTEXT/Buildfile, Dockerfile or Containerfile).")
  Path file;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "K[=V]", description = "Set a build argument (repeatable); K alone takes the value from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage and what it needs.")
  String target;

  @Option(names = "--no-cache", description = "Do not use the build cache.")
  boolean noCache;

  @Option(names = "--no-cache-filter", paramLabel = "STAGE", split = ",", description = "Do not use the cache for these stages.")
  List<String> noCacheFilter = new ArrayList<>();

  @Option(names = "--network", paramLabel = "bridge|none|host", description = "Network of RUN steps (default bridge).")
  String network = "bridge";

  @Option(names = "--label", paramLabel = "K=V", description = "Add a label to the image (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image id to FILE.")
  Path iidfile;

  @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
  boolean quiet;

  @Option(names = "--progress", paramLabel = "auto|tty|plain|json", description = "Progress output (default auto).")
  String progress = "auto";

  @Option(names = {"-o", "--output"}, paramLabel = "type=oci|docker|tar,dest=PATH", description = "Also write the image (or its rootfs) there.")
  String output;

  @Option(names = "--secret", paramLabel = "id=ID,src=FILE|env=VAR", description = "A secret for RUN --mount=type=secret (repeatable).")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--compression", paramLabel = "gzip|zstd", description = "Layer compression (default gzip).")
  String compression = "gzip";

  @Option(names = "--squash", description = "Fold the layers the final stage adds into one.")
  boolean squash;

  @Option(names = "--cache-to", paramLabel = "type=local,dest=DIR|type=registry,ref=REF[,mode=min|max]",
      description = "Export the build cache there after the build (repeatable; mode=max: every stage's steps).")
  List<String> cacheTo = new ArrayList<>();

  @Option(names = "--cache-from", paramLabel = "type=local,src=DIR|type=registry,ref=REF",
      description = "Use the build cache exported there; layers are fetched only for steps that hit (repeatable).")
  List<String> cacheFrom = new ArrayList<>();

  @Option(names = "--check", description = "Only check the Buildfile and print the findings.")
  boolean check;

  @Option(names = "--pull", arity = "0..1", fallbackValue = "always", paramLabel = "always|missing|newer|never",
      description = "When to pull base images: always (resolve every tag again; alone, --pull means this), "
          + "missing (default: only those not in the store), newer (as always, but a local image is used when the "
          + "registry cannot be reached) or never (true and false also work).")
  String pull = "missing";

  @Option(names = "--push", description = "Push every -t name to its registry after the build.")
  boolean push;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform of the base images: selected from multi-platform images when pulled, and a local "
          + "image of another platform is pulled again (default linux/amd64; RUN steps need the host's platform).")
  String platform;

  @picocli.CommandLine.Mixin dev.jbuild.cli.option.RegistryOptions registryOptions;

  public BuildCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** Options that take no value; see {@link #parseFast}. */
  static final java.util.Set<String> FAST_FLAGS = java.util.Set.of("--no-cache", "-q", "--quiet", "--squash", "--check",
      "--push");

  /** Options that take a value; see {@link #parseFast}. */
  static final java.util.Set<String> FAST_VALUED = java.util.Set.of("-f", "--file", "-t", "--tag", "--build-arg",
      "--target", "--no-cache-filter", "--network", "--label", "--iidfile", "--progress", "-o", "--output", "--secret",
      "--compression", "--cache-to", "--cache-from", "--platform", "--insecure-registry", "--root");

  /** Options whose value is optional: the fast path takes them only in the {@code --name=VALUE} form. */
  static final java.util.Set<String> FAST_OPTIONAL_VALUE = java.util.Set.of("--pull", "--tls-verify");

  /**
   * jbuild build's start-up fast path, as {@link RunCommand#parseFast} is run's: {@code args[0]} is
   * "build" (the caller turns {@code jbuild -f F .} into {@code jbuild build -f F .}). Building
   * picocli's model of a command reads its annotations (a dynamic proxy class per annotation type)
   * and sets its fields through reflection (method handles spun at run time), tens of milliseconds of
   * a cached build. Returns empty for anything it does not handle exactly as picocli would (help,
   * an unknown or clustered option, a value that looks like an option, a second positional, {@code
   * --pull} without {@code =}): the caller then goes the picocli way, which also produces the error
   * messages. {@code BuildCommandTest} checks that both parsers agree and that every option is known
   * to this one.
   */
  public static java.util.Optional<BuildCommand> parseFast(Jbuild.Context ctx, String[] args) {
    if (args.length < 2 || !args[0].equals("build")) {
      return java.util.Optional.empty();
    }
    try {
      return parseFastOrEmpty(ctx, args);
    } catch (java.nio.file.InvalidPathException e) {
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<BuildCommand> parseFastOrEmpty(Jbuild.Context ctx, String[] args) {
    BuildCommand c = new BuildCommand(ctx);
    c.storeOptions = new dev.jbuild.cli.option.StoreOptions();
    c.registryOptions = new dev.jbuild.cli.option.RegistryOptions();
    List<String> pos = new ArrayList<>();
    FastArgs.Grammar g = new FastArgs.Grammar(FAST_FLAGS, FAST_VALUED, FAST_OPTIONAL_VALUE, 1, 1);
    if (!FastArgs.parse(args, g, c::setFast, pos)) {
      return java.util.Optional.empty();
    }
    c.context = Path.of(pos.get(0));
    return java.util.Optional.of(c);
  }

  private boolean setFast(String name, String value) {
    if (value == null) {
      setFlag(name);
      return true;
    }
    if (FAST_OPTIONAL_VALUE.contains(name)) {
      return setOptionalValue(name, value);
    }
    setValue(name, value);
    return true;
  }

  private void setFlag(String name) {
    switch (name) {
      case "--no-cache" -> noCache = true;
      case "-q", "--quiet" -> quiet = true;
      case "--squash" -> squash = true;
      case "--check" -> check = true;
      case "--push" -> push = true;
      default -> throw new IllegalStateException("[internal error] unknown build flag " + name);
    }
  }

  // false for a value picocli would refuse (the caller then lets picocli report it)
  private boolean setOptionalValue(String name, String v) {
    switch (name) {
      case "--pull" -> pull = v;
      case "--tls-verify" -> {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          return false;
        }
        registryOptions.tlsVerify = Boolean.parseBoolean(v);
      }
      default -> throw new IllegalStateException("[internal error] unknown build option " + name);
    }
    return true;
  }

  private void setValue(String name, String v) {
    switch (name) {
      case "-f", "--file" -> file = Path.of(v);
      case "-t", "--tag" -> tags.add(v);
      case "--build-arg" -> buildArgs.add(v);
      case "--target" -> target = v;
      case "--no-cache-filter" -> noCacheFilter.addAll(List.of(v.split(",", -1)));
      case "--network" -> network = v;
      case "--label" -> labels.add(v);
      case "--iidfile" -> iidfile = Path.of(v);
      case "--progress" -> progress = v;
      case "-o", "--output" -> output = v;
      case "--secret" -> secrets.add(v);
      case "--compression" -> compression = v;
      case "--cache-to" -> cacheTo.add(v);
      case "--cache-from" -> cacheFrom.add(v);
      case "--platform" -> platform = v;
      case "--insecure-registry" -> registryOptions.insecureRegistries.add(v);
      case "--root" -> storeOptions.root = Path.of(v);
      default -> throw new IllegalStateException("[internal error] unknown build option " + name);
    }
  }

  @Override
  int run() throws Exception {
    Path cwd = Path.of(ctx.env().getOrDefault("PWD", System.getProperty("user.dir")));
    Path contextDir = cwd.resolve(context).normalize();
    if (!Files.isDirectory(contextDir)) {
      throw new JbuildException(context.toString(), "the build context is not a directory", null);
    }
    Path buildfile = buildfile(cwd, contextDir);
    Map<String, String> args = BuildOptions.resolveBuildArgs(buildArgs, ctx.env());
    if (check) {
      String text = Files.readString(buildfile, StandardCharsets.UTF_8);
      CheckReport report = BuildfileChecker.check(buildfile.getFileName().toString(), text,
          new BuildOptions(args, Optional.ofNullable(target), dev.jbuild.store.oci.Platform.LINUX_AMD64));
      ctx.out().print(report.format());
      return report.ok() ? 0 : 1;
    }
    for (String t : tags) {
      Images.parseName(t);
    }
    BuildRequest req = BuildRequest.of(contextDir, buildfile)
        .withTags(tags)
        .withBuildArgs(args)
        .withTarget(Optional.ofNullable(target))
        .withNoCache(noCache)
        .withNoCacheFilter(new HashSet<>(noCacheFilter))
        .withNetwork(NetworkMode.parse(network))
        .withLabels(labels(labels))
        .withSourceDateEpoch(SourceDate.epoch(ctx.env()))
        .withCompression(switch (compression) {
          case "gzip" -> Compression.GZIP;
          case "zstd" -> Compression.ZSTD;
          default -> throw new IllegalArgumentException("unknown --compression \"" + compression + "\": want gzip or zstd");
        })
        .withSecrets(secrets(secrets, cwd))
        .withSquash(squash);
    BaseImageSource.Policy pullPolicy = BaseImageSource.Policy.parse(pull);
    Optional<Platform> basePlatform = Optional.ofNullable(platform).map(Platform::parse);
    List<ImageRef> pushTo = new ArrayList<>();
    if (push) {
      if (tags.isEmpty()) {
        throw new IllegalArgumentException("--push needs a name to push to: give -t NAME");
      }
      tags.forEach(t -> pushTo.add(ImageRef.parse(t)));
    }
    ImageOutput.Spec out = null;
    if (output != null) {
      Optional<RegistryOutput> reg = RegistryOutput.parse(output);
      if (reg.isPresent()) {
        if (reg.get().push()) {
          pushTo.add(reg.get().name());
        }
        if (reg.get().keepTag()) {
          tags.add(reg.get().name().toString());
          req = req.withTags(tags);
        }
      } else {
        out = ImageOutput.Spec.parse(output, cwd);
      }
    }
    BuildListener listener = quiet ? BuildListener.none() : ProgressRenderer.of(progress, ctx.err(), ctx.env());
    Store store = openStore();
    RuntimeConfig runtime = RuntimeConfig.defaults(store.root().path(), ctx.env());
    List<CacheSpec> from = cacheFrom.stream().map(CacheSpec::parseFrom).toList();
    List<CacheSpec.Export> to = cacheTo.stream().map(CacheSpec::parseTo).toList();
    Registries[] registries = new Registries[1];
    Supplier<Registries> lazy = () -> {
      if (registries[0] == null) {
        try {
          registries[0] = Registries.forEnvironment(ctx.env(), storeRoot(), insecureRegistries());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return registries[0];
    };
    TransferListener transfers = quiet ? TransferListener.NONE
        : new TransferLines(line -> listener.on(new BuildEvent.Message(line)));
    BuildResult result;
    try {
      CacheExchange exchange = new CacheExchange(from.stream().map(c -> c.open(lazy)).toList(),
          to.stream().map(e -> new CacheExchange.Export(e.to().open(lazy), e.max())).toList());
      BaseImageSource bases = new RegistryBaseImages(store, lazy, basePlatform, pullPolicy, transfers);
      result = buildInterruptibly(new Builder(store, runtime, exchange, bases), req, listener);
      Image built = new Images(store).read(result.manifest());
      for (ImageRef dest : pushTo) {
        listener.on(new BuildEvent.Message("pushing " + dest));
        Digest pushed;
        try {
          pushed = new ImagePusher(store, lazy.get()).push(built, dest, transfers);
        } catch (JbuildException | IOException e) {
          // the build itself succeeded: say which push failed (the image stays in the store)
          throw new JbuildException("pushing the built image " + result.imageId().shortHex() + " to " + dest + ": "
              + (e instanceof JbuildException je ? je.describe() : e.getMessage()), e);
        }
        listener.on(new BuildEvent.Message("pushed " + dest + "@" + pushed));
      }
    } finally {
      if (registries[0] != null) {
        registries[0].close();
      }
    }
    if (out != null) {
      new ImageOutput(store).write(result, out, tags);
    }
    if (iidfile != null) {
      Files.writeString(cwd.resolve(iidfile), result.imageId().toString(), StandardCharsets.UTF_8);
    }
    ctx.out().println(result.imageId());
    return 0;
  }

  /**
   * The registries reached without TLS verification or over plain HTTP: {@code --insecure-registry}'s,
   * and every one ({@code *}) with {@code --tls-verify=false}, as a build may talk to several.
   */
  private List<String> insecureRegistries() {
    List<String> insecure = new ArrayList<>(registryOptions.insecureRegistries);
    if (!registryOptions.tlsVerify) {
      insecure.add("*");
    }
    return insecure;
  }

  /**
   * Builds with a shutdown hook that, on Ctrl-C, interrupts the build and waits for it to release its mounts,
   * network namespace and containers before the JVM exits.
   */
  private static BuildResult buildInterruptibly(Builder builder, BuildRequest req, BuildListener listener)
      throws Exception {
    Thread self = Thread.currentThread();
    Object done = new Object();
    boolean[] finished = {false};
    Thread hook = new Thread(() -> {
      self.interrupt();
      synchronized (done) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!finished[0] && System.currentTimeMillis() < deadline) {
          try {
            done.wait(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "jbuild-build-interrupt");
    java.lang.Runtime.getRuntime().addShutdownHook(hook);
    try {
      return builder.build(req, listener);
    } finally {
      synchronized (done) {
        finished[0] = true;
        done.notifyAll();
      }
      try {
        java.lang.Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is what called us back
      }
    }
  }

  private Path buildfile(Path cwd, Path contextDir) {
    if (file != null) {
      Path f = cwd.resolve(file).normalize();
      if (!Files.isRegularFile(f)) {
        throw new JbuildException(file.toString(), "no such Buildfile", null);
      }
      return f;
    }
    for (String n : DEFAULT_FILES) {
      Path f = contextDir.resolve(n);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    throw new JbuildException(contextDir.toString(), "no Buildfile, Dockerfile or Containerfile in the context (use -f)", null);
  }

  private static Map<String, String> labels(List<String> specs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid --label \"" + s + "\": want KEY=VALUE");
      }
      out.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return out;
  }

  private Map<String, BuildRequest.Secret> secrets(List<String> specs, Path cwd) {
    Map<String, BuildRequest.Secret> out = new LinkedHashMap<>();
    for (String s : specs) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String part : s.split(",")) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("invalid --secret \"" + s + "\": want id=ID,src=FILE or id=ID,env=VAR");
        }
        kv.put(part.substring(0, eq), part.substring(eq + 1));
      }
      String id = kv.get("id");
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("invalid --secret \"" + s + "\": id= is required");
      }
      String src = kv.getOrDefault("src", kv.get("source"));
      String env = kv.get("env");
      if (src == null && env == null) {
        // as docker: a bare id names an environment variable of that name
        env = id;
      }
      if (env != null && src == null) {
        String v = ctx.env().get(env);
        if (v == null) {
          throw new IllegalArgumentException("--secret " + id + ": environment variable " + env + " is not set");
        }
        out.put(id, new BuildRequest.Secret(id, Optional.empty(), Optional.of(v)));
      } else {
        out.put(id, new BuildRequest.Secret(id, Optional.of(cwd.resolve(src)), Optional.empty()));
      }
    }
    return out;
  }
}
