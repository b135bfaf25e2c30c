package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.cli.Cli;
import dev.jbuild.cli.JbuildProcess;
import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.testing.BusyboxRootfs;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container commands end to end, on a busybox image imported from {@code scripts/busybox-rootfs}:
 * in process through {@link Cli}, and as processes through {@link JbuildProcess} where a terminal,
 * signals or SIGKILL are involved. Every test runs under the runtime's {@link LeakCheck}.
 */
@RequiresRoot
@RequiresTools({"runc", "bridge", "portmap", "host-local", "ip", "iptables", "tar"})
@ExtendWith(LeakCheck.class)
class RunCommandsIT {
  private static Path tmp;
  private static Path root;
  private static Path rootfsTar;
  private static Cli cli;

  @BeforeAll
  static void importBusybox() throws Exception {
    tmp = BusyboxRootfs.tempDir();
    root = tmp.resolve("store");
    cli = new Cli(root);
    Path project = Path.of(System.getProperty("jbuild.projectDir", "..")).toAbsolutePath().normalize();
    rootfsTar = tmp.resolve("busybox.tar");
    exec(project.resolve("scripts/busybox-rootfs").toString(), rootfsTar.toString());
    Cli.Result r = cli.run("import", rootfsTar.toString(), "bb");
    assertEquals(0, r.exitCode(), r.toString());
  }

  @AfterEach
  void removeContainers() {
    Cli.Result ps = cli.run("ps", "-aq");
    for (String id : ps.outLines()) {
      if (!id.isBlank()) {
        cli.run("rm", "-f", id.strip());
      }
    }
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (tmp != null) {
      ContainerStore.deleteTree(tmp);
    }
  }

  private static Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertEquals(0, r.exitCode(), () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  @Test
  void outputAndExitCodes() {
    Cli.Result r = cli.run("run", "--rm", "bb", "sh", "-c", "echo out; echo err >&2; exit 7");
    assertEquals(7, r.exitCode(), r.toString());
    assertEquals("out\n", r.out());
    assertTrue(r.err().contains("err"), r.toString());
    assertEquals(0, cli.run("run", "--rm", "--network", "none", "bb", "/bin/true").exitCode());
    assertEquals(127, cli.run("run", "--rm", "--network", "none", "bb", "no-such-command").exitCode());
    assertEquals(126, cli.run("run", "--rm", "--network", "none", "bb", "/etc").exitCode());
    // tail keeps the endless "line" of /dev/zero in memory until the cgroup's OOM killer ends it
    Cli.Result oom = cli.run("run", "--rm", "--network", "none", "--memory", "16m", "bb", "tail", "/dev/zero");
    assertEquals(137, oom.exitCode(), oom.toString());
  }

  @Test
  void jbuildErrorsAreOneLineAnd125() throws IOException {
    Cli.Result r = cli.run("run", "--rm", "no-such-image");
    assertEquals(125, r.exitCode());
    assertTrue(r.err().startsWith("jbuild: "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    // the network is set up while the image is read: a missing image leaves no container (even
    // without --rm), no netns, veth or address (the leak check after each test)
    Cli.Result kept = cli.run("run", "--name", "never", "no-such-image");
    assertEquals(125, kept.exitCode());
    assertEquals("jbuild: no such image: no-such-image\n", kept.err());
    assertEquals(List.of(), listContainers());
    assertEquals(125, cli.run("run", "-d", "no-such-image").exitCode());
    assertEquals(List.of(), listContainers());
    assertEquals(125, cli.run("run", "--rm", "--network", "bogus", "bb", "true").exitCode());
    assertEquals(125, cli.run("stop", "no-such-container").exitCode());
    Cli.Result i = cli.run("inspect", "no-such-thing");
    assertEquals(125, i.exitCode());
    assertEquals("jbuild: no such image: no-such-thing\n", i.err());
  }

  @Test
  void runRmLeavesNoContainerDirectory() throws IOException {
    ok("run", "--rm", "--network", "none", "bb", "true");
    assertEquals(List.of(), listContainers());
    ok("run", "--network", "none", "--name", "kept", "bb", "true");
    assertEquals(1, listContainers().size());
    assertTrue(ok("ps", "-a").out().contains("Exited (0)"));
    ok("rm", "kept");
    assertEquals(List.of(), listContainers());
  }

  @Test
  void detachedLifecyclePsLogsExecStopRm() throws Exception {
    String id = ok("run", "-d", "--name", "daemon", "bb", "sh", "-c",
        "trap 'echo bye; exit 3' TERM; echo hello; echo oops >&2; while :; do sleep 0.1; done").out().strip();
    assertEquals(64, id.length(), id);
    Cli.Result ps = ok("ps");
    assertTrue(ps.out().contains(id.substring(0, 12)) && ps.out().contains("daemon"), ps.toString());
    assertEquals(List.of(id.substring(0, 12)), ok("ps", "-q").outLines());
    awaitLog("daemon", "hello");
    Cli.Result logs = ok("logs", "daemon");
    assertEquals("hello\n", logs.out());
    assertEquals("oops\n", logs.err());
    assertEquals(id.substring(0, 12) + "\n", ok("exec", "daemon", "hostname").out());
    assertEquals(5, cli.run("exec", "daemon", "sh", "-c", "exit 5").exitCode());
    assertEquals("65534\n", ok("exec", "-u", "nobody", "daemon", "id", "-u").out());
    assertEquals("/tmp\nV\n", ok("exec", "-w", "/tmp", "-e", "X=V", "daemon", "sh", "-c", "pwd; echo $X").out());
    JsonNode info = Json.PRETTY.readTree(ok("inspect", "daemon").out()).get(0);
    assertEquals(true, info.at("/State/Running").asBoolean());
    assertTrue(info.at("/State/Pid").asLong() > 1);
    assertTrue(info.at("/NetworkSettings/IPAddress").asText().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), info.toString());
    ok("stop", "-t", "5", "daemon");
    assertTrue(ok("ps", "-a").out().contains("Exited (3)"), ok("ps", "-a").toString());
    assertEquals("hello\nbye\n", ok("logs", "daemon").out());
    assertEquals("", ok("ps", "-q").out());
    ok("rm", "daemon");
    assertEquals("", ok("ps", "-aq").out());
  }

  @Test
  void killAndForceRemove() {
    ok("run", "-d", "--name", "victim", "--network", "none", "bb", "sleep", "1000");
    ok("kill", "-s", "KILL", "victim");
    awaitStatus("victim", "Exited (137)");
    ok("run", "-d", "--name", "victim2", "--network", "none", "bb", "sleep", "1000");
    assertEquals(125, cli.run("rm", "victim2").exitCode());
    ok("rm", "-f", "victim2");
    assertFalse(ok("ps", "-a").out().contains("victim2"));
  }

  @Test
  void publishedPortReachedFromTheHost() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    ok("run", "-d", "--name", "web", "-p", "127.0.0.1:" + port + ":80", "bb", "sh", "-c",
        "echo hi-from-httpd > /tmp/index.html; exec httpd -f -p 80 -h /tmp");
    String body = null;
    for (int i = 0; i < 100 && body == null; i++) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/index.html").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    assertEquals("hi-from-httpd\n", body);
    JsonNode info = Json.PRETTY.readTree(ok("inspect", "web").out()).get(0);
    assertEquals(Integer.toString(port), info.at("/NetworkSettings/Ports/80~1tcp/0/HostPort").asText(), info.toString());
    ok("rm", "-f", "web");
  }

  @Test
  void networkNoneHasOnlyLoopback() {
    assertEquals("lo\n", ok("run", "--rm", "--network", "none", "bb", "ls", "/sys/class/net").out());
    assertEquals("lo\n", ok("run", "--rm", "--net=none", "bb", "ls", "/sys/class/net").out());
  }

  @Test
  void bindMountsReadWriteAndReadOnly() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("bind-" + UUID.randomUUID()));
    Files.writeString(host.resolve("in"), "from-host\n");
    assertEquals("from-host\n", ok("run", "--rm", "--network", "none", "-v", host + ":/data", "bb", "sh", "-c",
        "cat /data/in; echo from-container > /data/out").out());
    assertEquals("from-container\n", Files.readString(host.resolve("out")));
    Cli.Result ro = cli.run("run", "--rm", "--network", "none", "-v", host + ":/ro:ro", "bb", "sh", "-c",
        "cat /ro/in; touch /ro/nope");
    assertNotEquals(0, ro.exitCode());
    assertEquals("from-host\n", ro.out());
    assertFalse(Files.exists(host.resolve("nope")));
    assertEquals("tmpfs\n", ok("run", "--rm", "--network", "none", "--tmpfs", "/scratch", "bb", "sh", "-c",
        "awk '$2==\"/scratch\"{print $3}' /proc/mounts").out());
  }

  @Test
  void environmentWorkdirAndUser() throws IOException {
    Path envFile = tmp.resolve("env-" + UUID.randomUUID());
    Files.writeString(envFile, "# a comment\n\nC=from-file\nD=overridden\n");
    Cli.Result r = cli.withEnv("B", "from-host").run("run", "--rm", "--network", "none", "--env-file", envFile.toString(),
        "-e", "A=1", "-e", "B", "-e", "D=flag", "-w", "/tmp/work", "-u", "nobody", "bb", "sh", "-c",
        "echo $A $B $C $D; pwd; id -u; id -g");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("1 from-host from-file flag", "/tmp/work", "65534", "65534"), r.outLines());
    assertEquals("0:65534\n", ok("run", "--rm", "--network", "none", "-u", "root:nogroup", "bb", "sh", "-c",
        "echo $(id -u):$(id -g)").out());
    assertEquals("x\n", ok("run", "--rm", "--network", "none", "--entrypoint", "echo", "bb", "x").out());
  }

  @Test
  void commitThenRunTheCommittedImage() throws Exception {
    ok("run", "--name", "base", "bb", "sh", "-c", "echo committed > /marker; rm /bin/yes");
    String imageId = ok("commit", "-c", "CMD [\"cat\", \"/marker\"]", "-c", "ENV GREETING=hi", "base", "bb:committed")
        .out().strip();
    assertTrue(imageId.startsWith("sha256:"), imageId);
    assertEquals("committed\n", ok("run", "--rm", "--network", "none", "bb:committed").out());
    assertEquals("hi\n", ok("run", "--rm", "--network", "none", "bb:committed", "sh", "-c", "echo $GREETING").out());
    assertEquals(1, cli.run("run", "--rm", "--network", "none", "bb:committed", "test", "-e", "/bin/yes").exitCode());
    // the new layer holds the change and a whiteout, not the runtime's mount-point stubs
    JsonNode img = Json.PRETTY.readTree(ok("inspect", "bb:committed").out()).get(0);
    assertEquals(2, img.get("Layers").size());
    String top = img.get("Layers").get(1).get("digest").asText().substring("sha256:".length());
    List<String> entries = exec("tar", "-tzf", root.resolve("oci/blobs/sha256/" + top).toString());
    assertTrue(entries.contains("marker"), entries.toString());
    assertTrue(entries.contains("bin/.wh.yes"), entries.toString());
    assertFalse(entries.stream().anyMatch(e -> e.startsWith("etc/hosts") || e.startsWith("etc/resolv.conf")
        || e.startsWith("etc/hostname")), entries.toString());
    assertEquals(2, img.get("History").size(), img.toString());
  }

  @Test
  void exportStoppedAndRunningContainers() throws Exception {
    ok("run", "--name", "exp", "--network", "none", "bb", "sh", "-c", "echo data > /exported; rm /bin/yes");
    Path tar = tmp.resolve("export-" + UUID.randomUUID() + ".tar");
    ok("export", "exp", "-o", tar.toString());
    List<String> entries = exec("tar", "-tf", tar.toString());
    assertTrue(entries.contains("exported"), entries.toString());
    assertTrue(entries.contains("bin/busybox"), entries.toString());
    assertFalse(entries.contains("bin/yes"), "deleted file must not be exported");
    assertFalse(entries.stream().anyMatch(e -> e.contains(".wh.")), entries.toString());

    ok("run", "-d", "--name", "exp2", "--network", "none", "bb", "sh", "-c", "echo live > /live; sleep 1000");
    Path tar2 = tmp.resolve("export-" + UUID.randomUUID() + ".tar");
    for (int i = 0; i < 100; i++) {
      ok("export", "exp2", "-o", tar2.toString());
      if (exec("tar", "-tf", tar2.toString()).contains("live")) {
        break;
      }
      Thread.sleep(50);
    }
    assertTrue(exec("tar", "-tf", tar2.toString()).contains("live"));
  }

  @Test
  void initIsPidOneAndPassesTheExitStatus() {
    Cli.Result r = cli.run("run", "--rm", "--network", "none", "--init", "bb", "sh", "-c",
        "tr '\\0' ' ' < /proc/1/cmdline; echo; exit 3");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith(RunCommand.INIT_PATH + " -- sh"), r.out());
  }

  @Test
  void terminalThroughTheProcess() throws Exception {
    JbuildProcess.Result r = JbuildProcess.run(root, "run", "--rm", "-t", "--network", "none", "bb", "sh", "-c", "tty; exit 4");
    assertEquals(4, r.exitCode(), r.err());
    assertTrue(r.out().contains("/dev/pts/"), r.out());
  }

  @Test
  void stdinIsClosedWithoutInteractiveAndPassedWithIt() throws Exception {
    ProcessBuilder pb = JbuildProcess.builder(root, "run", "--rm", "-i", "--network", "none", "bb", "sh", "-c", "read x; echo got-$x");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("line\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("got-line\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    JbuildProcess.Result r = JbuildProcess.run(root, "run", "--rm", "--network", "none", "bb", "sh", "-c", "cat; echo done");
    assertEquals("done\n", r.out());
  }

  @Test
  void concurrentBridgedRunsInSeparateProcessesShareTheNatRule() throws Exception {
    // separate JVMs: the shared masquerade rule's reference count is kept under a file lock
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(JbuildProcess.builder(root, "run", "--rm", "bb", "sh", "-c", "ip -o -4 addr show eth0 | awk '{print $4}'")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }
    java.util.Set<String> addresses = new java.util.TreeSet<>();
    for (Process p : runs) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.matches("10\\.218\\.0\\.\\d+/24"), out);
      addresses.add(out);
    }
    assertEquals(3, addresses.size(), addresses.toString());
    // LeakCheck: no rule, reference count, address or veth is left
  }

  @Test
  void killMinus9OfForegroundRunLeavesNothingAfterTheNextCommand() throws Exception {
    Process p = JbuildProcess.builder(root, "run", "--name", "crash", "bb", "sleep", "1000")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      awaitStatus("crash", "Up ");
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    // any command finishes off what the dead run left (LeakCheck verifies nothing remains)
    ok("images");
    assertTrue(ok("ps", "-a").out().contains("Exited"), ok("ps", "-a").toString());
    ok("rm", "crash");
  }

  @Test
  void hostileLayerIsRefusedAndChangesNothingOnTheHost() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path hostile = tmp.resolve("hostile-" + tag + ".tar");
    Path canaryDir = Files.createDirectories(tmp.resolve("canary-" + tag));
    try (OutputStream os = Files.newOutputStream(hostile); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      copyEntries(rootfsTar, out);
      file(out, "../../escape-" + tag, "x");
      symlink(out, "etcl", "/etc");
      file(out, "etcl/canary-" + tag, "x");
      symlink(out, "canl", canaryDir.toString());
      file(out, "canl/canary", "x");
    }
    ok("import", hostile.toString(), "hostile:" + tag);
    Cli.Result r = cli.run("run", "--rm", "--network", "none", "hostile:" + tag, "true");
    assertEquals(125, r.exitCode(), r.toString());
    assertTrue(r.err().startsWith("jbuild: "), r.err());
    assertFalse(Files.exists(Path.of("/etc/canary-" + tag)));
    assertFalse(Files.exists(canaryDir.resolve("canary")));
    assertEquals(List.of(), findNamed(Path.of("/tmp"), "escape-" + tag));
    assertEquals(List.of(), findNamed(tmp, "escape-" + tag));
    assertFalse(Files.exists(Path.of("/escape-" + tag)));
  }

  @Test
  void symlinksToHostPathsStayInsideTheContainer() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path canaryDir = Files.createDirectories(tmp.resolve("canary-" + tag));
    Path sneaky = tmp.resolve("sneaky-" + tag + ".tar");
    try (OutputStream os = Files.newOutputStream(sneaky); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      copyEntries(rootfsTar, out);
      symlink(out, "hostroot", "/");
      symlink(out, "etcl", "/etc");
      symlink(out, "canl", canaryDir.toString());
      symlink(out, "up", "../../../../../..");
    }
    ok("import", sneaky.toString(), "sneaky:" + tag);
    Cli.Result r = cli.run("run", "--rm", "--network", "none", "-w", "/up/tmp", "sneaky:" + tag, "sh", "-c",
        "mkdir -p /canl; echo x > /hostroot/tmp/canary-" + tag + "; echo y > /etcl/canary-" + tag
            + "; echo z > /canl/canary; echo w > /up/canary-" + tag + "; cat /etc/canary-" + tag + "; pwd");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("y", "/tmp"), r.outLines());
    assertFalse(Files.exists(Path.of("/tmp/canary-" + tag)));
    assertFalse(Files.exists(Path.of("/etc/canary-" + tag)));
    assertFalse(Files.exists(Path.of("/canary-" + tag)));
    assertFalse(Files.exists(canaryDir.resolve("canary")));
  }

  private static void copyEntries(Path tar, TarArchiveOutputStream out) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        out.putArchiveEntry(e);
        in.transferTo(out);
        out.closeArchiveEntry();
      }
    }
  }

  private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0100644);
    e.setSize(b.length);
    out.putArchiveEntry(e);
    out.write(b);
    out.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream out, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
    e.setLinkName(target);
    e.setMode(0120777);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  private static List<String> findNamed(Path dir, String name) throws IOException {
    try (var s = Files.find(dir, 6, (p, a) -> p.getFileName() != null && p.getFileName().toString().equals(name))) {
      return s.map(Path::toString).toList();
    } catch (java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  private static List<String> listContainers() throws IOException {
    Path dir = root.resolve("containers");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  private static void awaitLog(String container, String text) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (cli.run("logs", container).out().contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no \"" + text + "\" in the logs of " + container);
  }

  private static void awaitStatus(String container, String status) {
    for (int i = 0; i < 300; i++) {
      for (String line : cli.run("ps", "-a").outLines()) {
        if (line.endsWith(container) && line.contains(status)) {
          return;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(container + " never reached " + status + ":\n" + cli.run("ps", "-a"));
  }

  private static List<String> exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    List<String> lines = new ArrayList<>();
    out.lines().map(l -> l.startsWith("./") ? l.substring(2) : l).filter(l -> !l.isEmpty()).forEach(lines::add);
    return lines;
  }
}
