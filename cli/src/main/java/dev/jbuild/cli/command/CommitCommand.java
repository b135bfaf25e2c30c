package dev.jbuild.cli.command;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.ContainerInfo;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.ImageNotFoundException;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.LayerWritten;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.HistoryEntry;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild commit [-c CHANGE]... [-m MSG] [-a AUTHOR] CONTAINER [IMAGE]}: the container's overlay
 * upper dir becomes one more layer on top of its image's layers. The empty mount-point stubs the OCI
 * runtime creates for /etc/hosts, /etc/resolv.conf and /etc/hostname are left out, as docker leaves
 * out its init layer. The container is not paused meanwhile.
 */
@Command(name = "commit", description = "Create a new image from a container's changes.")
public final class CommitCommand extends ContainerCommand {
  /** Files the runtime bind-mounts over, which it creates empty when the image lacks them. */
  static final List<String> MOUNT_STUBS = List.of("etc/hosts", "etc/resolv.conf", "etc/hostname");

  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE[:TAG]")
  String name;

  @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
      description = "Apply CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR or STOPSIGNAL to the new image.")
  List<String> changes = new ArrayList<>();

  @Option(names = {"-m", "--message"}, paramLabel = "TEXT")
  String message;

  @Option(names = {"-a", "--author"}, paramLabel = "AUTHOR")
  String author;

  public CommitCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    ImageRef ref = name == null ? null : Images.parseName(name);
    Runtime rt = openRuntime();
    ContainerInfo info = rt.inspect(container);
    ContainerImage link = ContainerImage.read(info.dir()).orElseThrow(() -> new JbuildException(
        info.state().id().shortId(), "container has no record of its image (not started by jbuild run)", null));
    Store store = openStore();
    Images images = new Images(store);
    Instant now = SourceDate.created(ctx.env());
    LayerOptions opts = LayerOptions.defaults();
    if (SourceDate.epoch(ctx.env()).isPresent()) {
      opts = opts.withSourceDateEpoch(SourceDate.epoch(ctx.env()).get());
    }
    Descriptor manifest;
    try (AutoCloseable ingest = store.gcLock().shared()) {
      Image base;
      try {
        base = images.resolve(link.manifest());
      } catch (ImageNotFoundException e) {
        throw new JbuildException(info.state().id().shortId(), "the container's image " + link.name() + " was removed", e);
      }
      Set<String> stubs = stubs(info.dir().resolve("upper"), info.state().lowers());
      Descriptor layer;
      LayerWritten written;
      try (BlobWriter w = store.blobs().newWriter()) {
        written = LayerWriter.write(info.dir().resolve("upper"), w.stream(), opts, stubs::contains);
        layer = w.commit(opts.compression().mediaType());
      }
      ContainerConfig cc = base.config().configOrEmpty();
      for (String c : changes) {
        cc = applyChange(cc, c);
      }
      HistoryEntry h = HistoryEntry.layer(now, "jbuild commit" + (changes.isEmpty() ? "" : " --change " + String.join(" --change ", changes)));
      if (message != null) {
        h = h.withComment(message);
      }
      if (author != null) {
        h = h.withAuthor(author);
      }
      ImageConfig config = base.config().withConfig(cc).withLayer(written.diffId(), h).withCreated(now);
      if (author != null) {
        config = config.withAuthor(author);
      }
      List<Descriptor> layers = new ArrayList<>(base.layers());
      layers.add(layer);
      manifest = images.write(config, layers);
      if (ref != null) {
        images.tag(ref, manifest);
      } else {
        store.layout().add(manifest);
      }
    }
    ctx.out().println(images.read(manifest).id());
    return 0;
  }

  /** The stubs present in the upper dir: empty regular files that no lower layer has. */
  static Set<String> stubs(Path upper, List<Path> lowers) throws IOException {
    Set<String> out = new HashSet<>();
    for (String s : MOUNT_STUBS) {
      Path p = upper.resolve(s);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0
          && lowers.stream().noneMatch(l -> Files.exists(l.resolve(s), LinkOption.NOFOLLOW_LINKS))) {
        out.add(s);
      }
    }
    return out;
  }

  /** Applies one Dockerfile-style instruction ({@code --change}) to the config. */
  static ContainerConfig applyChange(ContainerConfig c, String change) {
    String t = change.strip();
    int sp = t.indexOf(' ');
    if (sp < 0) {
      throw new JbuildException("invalid --change " + change + " (expected INSTRUCTION ARGUMENTS)");
    }
    String kw = t.substring(0, sp).toUpperCase(java.util.Locale.ROOT);
    String arg = t.substring(sp + 1).strip();
    return switch (kw) {
      case "CMD" -> c.withCmd(command(arg, change));
      case "ENTRYPOINT" -> c.withEntrypoint(command(arg, change));
      case "WORKDIR" -> c.withWorkingDir(arg);
      case "USER" -> c.withUser(arg);
      case "STOPSIGNAL" -> c.withStopSignal(arg);
      case "ENV" -> {
        int eq = arg.indexOf('=');
        int space = arg.indexOf(' ');
        if (eq > 0 && (space < 0 || eq < space)) {
          yield c.withEnv(arg.substring(0, eq), unquote(arg.substring(eq + 1)));
        }
        if (space > 0) {
          yield c.withEnv(arg.substring(0, space), arg.substring(space + 1).strip());
        }
        throw new JbuildException("invalid --change " + change + " (ENV KEY=VALUE)");
      }
      case "LABEL" -> {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
          throw new JbuildException("invalid --change " + change + " (LABEL KEY=VALUE)");
        }
        yield c.withLabel(unquote(arg.substring(0, eq)), unquote(arg.substring(eq + 1)));
      }
      case "EXPOSE" -> {
        ContainerConfig r = c;
        for (String p : arg.split("\\s+")) {
          r = r.withExposedPort(p.contains("/") ? p : p + "/tcp");
        }
        yield r;
      }
      case "VOLUME" -> {
        ContainerConfig r = c;
        for (String v : arg.startsWith("[") ? json(arg, change) : List.of(arg.split("\\s+"))) {
          r = r.withVolume(v);
        }
        yield r;
      }
      default -> throw new JbuildException("unsupported --change instruction " + kw
          + " (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL)");
    };
  }

  private static List<String> command(String arg, String change) {
    return arg.startsWith("[") ? json(arg, change) : List.of("/bin/sh", "-c", arg);
  }

  private static List<String> json(String arg, String change) {
    try {
      return Json.PRETTY.readValue(arg, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new JbuildException("invalid JSON in --change " + change, e);
    }
  }

  private static String unquote(String s) {
    String t = s.strip();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }
}
