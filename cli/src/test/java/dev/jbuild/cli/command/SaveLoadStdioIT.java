package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.testing.RandomImages;
import dev.jbuild.store.testing.RequiresTools;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code save} to stdout and {@code load} from stdin, in a separate JVM whose stdio are real files and a pty. */
class SaveLoadStdioIT {
  @TempDir Path tmp;
  Path src;

  @BeforeEach
  void image() throws Exception {
    src = tmp.resolve("src");
    Store s = Store.open(StoreRoot.of(src));
    s.layout().tag(ImageRef.parse("app:1"), RandomImages.image(s, 2, 5000, 11));
  }

  @Test
  void saveToStdoutThenLoadFromStdin() throws Exception {
    Path archive = tmp.resolve("app.tar");
    Result save = jbuild(src, null, archive, "save", "--format", "docker-archive", "app:1");
    assertEquals(0, save.code(), save.err());

    Path dst = tmp.resolve("dst");
    Result load = jbuild(dst, archive, null, "load");
    assertEquals(0, load.code(), load.err());
    assertEquals("Loaded image: app:1\n", load.out());

    Path gz = tmp.resolve("app.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(archive, out);
    }
    Path dst2 = tmp.resolve("dst2");
    Result loadGz = jbuild(dst2, gz, null, "load", "-i", "-");
    assertEquals(0, loadGz.code(), loadGz.err());
    assertEquals(new Images(Store.open(StoreRoot.of(src))).resolve("app:1").id(),
        new Images(Store.open(StoreRoot.of(dst2))).resolve("app:1").id());
  }

  @Test
  @RequiresTools({"script"})
  void saveRefusesATerminal() throws Exception {
    // script(1) gives the child a pseudo-terminal as stdout
    String cmd = String.join(" ", javaCommand()) + " save app:1";
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null");
    pb.environment().put("JBUILD_ROOT", src.toString());
    pb.redirectErrorStream(true);
    Result r = finish(pb.start());
    assertEquals(125, r.code(), r.out());
    assertTrue(r.out().contains("jbuild: cowardly refusing to save to a terminal"), r.out());
  }

  private record Result(int code, String out, String err) {}

  private static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.jbuild.cli.Main");
  }

  private Result jbuild(Path root, Path stdin, Path stdout, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JBUILD_ROOT", root.toString());
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectError(err.toFile());
    pb.redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
    Path out = stdout != null ? stdout : Files.createTempFile(tmp, "out", ".txt");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jbuild timed out");
    }
    return new Result(p.exitValue(), stdout != null ? "" : Files.readString(out), Files.readString(err));
  }

  private static Result finish(Process p) throws IOException, InterruptedException {
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out");
    }
    return new Result(p.exitValue(), out, "");
  }
}
