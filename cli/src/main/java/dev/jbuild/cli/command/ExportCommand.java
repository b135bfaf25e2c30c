package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.ProcessStream;
import dev.jbuild.runtime.ContainerInfo;
import dev.jbuild.runtime.Runtime;
import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild export CONTAINER [-o FILE]}: the container's merged filesystem as one uncompressed
 * tar. A running container's rootfs is walked where it is mounted; a stopped one's is mounted
 * read-only for the walk (its upper dir over the image's snapshots) and unmounted after.
 */
@Command(name = "export", description = "Export a container's filesystem as a tar archive.")
public final class ExportCommand extends ContainerCommand {
  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file instead of stdout.")
  Path output;

  public ExportCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Runtime rt = openRuntime();
    ContainerInfo info = rt.inspect(container);
    if (output == null && !(ctx.out() instanceof ProcessStream && !stdoutIsTerminal())) {
      throw new JbuildException("refusing to write a tar to a terminal; use -o FILE or redirect stdout");
    }
    Path rootfs = info.dir().resolve("rootfs");
    if (isMountPoint(rootfs)) {
      write(rootfs);
      return 0;
    }
    List<Path> layers = new ArrayList<>(info.state().lowers());
    layers.add(info.dir().resolve("upper"));
    Path tmp = Files.createDirectories(storeRoot().tmp());
    Path mnt = dev.jbuild.store.TempFiles.createDirectory(tmp, "export-");
    try (OverlayMount m = OverlayMount.mount(OverlayOptions.readOnly(layers), mnt)) {
      write(mnt);
    } finally {
      ContainerStore.deleteTree(mnt);
    }
    return 0;
  }

  private void write(Path dir) throws IOException {
    LayerOptions tar = LayerOptions.defaults().withCompression(Compression.NONE);
    if (output == null) {
      ProcessStream ps = (ProcessStream) ctx.out();
      ps.flush();
      LayerWriter.write(dir, ps.raw(), tar);
      ps.raw().flush();
      return;
    }
    Path part = output.resolveSibling(output.getFileName() + ".part");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
      LayerWriter.write(dir, out, tar);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Files.move(part, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static boolean isMountPoint(Path p) throws IOException {
    String want = p.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].replace("\\040", " ").equals(want)) {
        return true;
      }
    }
    return false;
  }

  static boolean stdoutIsTerminal() {
    try {
      String t = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
    } catch (IOException e) {
      return false;
    }
  }
}
