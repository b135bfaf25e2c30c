package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.net.SharedMasquerade;
import dev.jbuild.runtime.oci.ExecSpec;
import dev.jbuild.runtime.oci.RuntimeProcess;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Limits;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.runtime.testing.BusyboxRootfs;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real containers: runc, overlayfs, the CNI plugins and iptables, on a busybox rootfs. */
@RequiresRoot
@RequiresTools({"runc", "bridge", "portmap", "host-local", "unshare", "ip", "iptables"})
@ExtendWith(LeakCheck.class)
class RuntimeIT {
  private static Path tmp;
  private static Path busybox;
  private static Runtime rt;

  @BeforeAll
  static void setUp() throws Exception {
    tmp = BusyboxRootfs.tempDir();
    busybox = BusyboxRootfs.create(tmp);
    rt = new Runtime(RuntimeConfig.defaults(tmp.resolve("store"), Map.of()).withStopTimeout(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void tearDown() throws IOException {
    try {
      if (rt != null) {
        for (ContainerState s : rt.store().list()) {
          rt.rm(s.id().hex(), true);
        }
      }
    } finally {
      // also after a failed rm: deleteTree never crosses a mount, so what is still mounted stays
      if (tmp != null) {
        ContainerStore.deleteTree(tmp);
      }
    }
  }

  record Result(int exit, String out, String err) {}

  static Result run(ContainerSpec spec) throws Exception {
    return run(RunRequest.of(List.of(busybox), spec));
  }

  static Result run(RunRequest req) throws Exception {
    return run(rt, req);
  }

  static Result run(Runtime runtime, RunRequest req) throws Exception {
    try (RunningContainer c = runtime.open(req.withStdio(Stdio.pipe()))) {
      c.stdin().close();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(c.stderr()));
      String out = read(c.stdout());
      return new Result(c.waitFor(), out, err.get(60, TimeUnit.SECONDS));
    }
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ContainerSpec sh(String script) {
    return ContainerSpec.of("sh", "-c", script);
  }

  @Test
  void outputAndExitCodes() throws Exception {
    Result hello = run(sh("echo hello; echo oops >&2"));
    assertEquals(new Result(0, "hello\n", "oops\n"), hello);
    assertEquals(7, run(sh("exit 7")).exit());
    assertEquals(126, run(ContainerSpec.of("/etc/passwd")).exit());
    assertEquals(127, run(ContainerSpec.of("no-such-command")).exit());
    assertEquals(127, run(ContainerSpec.of("/no/such/path")).exit());
  }

  @Test
  void memoryLimitKillsWith137() throws Exception {
    Result r = run(sh("head -c 64m /dev/zero | tail").withNetwork(NetworkMode.NONE)
        .withLimits(Limits.NONE.withMemory(16L << 20)));
    assertEquals(137, r.exit(), r.toString());
  }

  @Test
  void cpuAndPidsLimitsReachTheCgroups() throws Exception {
    Result r = run(sh("cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/pids/pids.max;"
        + " for i in 1 2 3 4 5 6 7 8; do sleep 2 & done; wait; echo done")
        .withNetwork(NetworkMode.NONE).withLimits(Limits.NONE.withCpus(0.5).withPids(4)));
    String[] l = r.out().split("\n");
    assertEquals(List.of("50000", "100000", "4"), List.of(l).subList(0, 3), r.toString());
    assertTrue(r.err().contains("fork"), "the pids limit refuses a fifth task: " + r);
    assertFalse(r.out().contains("done"), r.toString());
  }

  @Test
  void signalDeathIs128PlusN() throws Exception {
    // pid 1 ignores signals it has no handler for, so the child kills itself and sh reports it.
    assertEquals(143, run(sh("sh -c 'kill -TERM $$'; exit $?").withNetwork(NetworkMode.NONE)).exit());
  }

  @Test
  void commandIsPidOneAndSeesOnlyTheContainer() throws Exception {
    Result r = run(sh("echo $$; ps -o pid,comm; true").withNetwork(NetworkMode.NONE));
    String[] lines = r.out().strip().split("\n");
    assertEquals("1", lines[0]);
    // header, sh (pid 1), ps
    assertEquals(3, lines.length - 1, r.out());
  }

  @Test
  void dockerSecurityDefaults() throws Exception {
    Result r = run(sh("grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status;"
        + " grep ' /proc/sys ' /proc/self/mounts;"
        + " echo 1 > /proc/sys/kernel/domainname && echo wrote; hostname; ls /dev | tr '\\n' ' '").withNetwork(NetworkMode.NONE));
    assertTrue(r.out().contains("CapEff:\t00000000a80425fb"), r.out());
    assertTrue(r.out().contains("CapBnd:\t00000000a80425fb"), r.out());
    assertTrue(r.out().contains("NoNewPrivs:\t1"), r.out());
    assertTrue(r.out().contains("Seccomp:\t2"), r.out());
    String[] lines = r.out().split("\n");
    assertTrue(lines[4].contains(" ro,") || lines[4].contains(" ro "), "/proc/sys read-only: " + lines[4]);
    assertFalse(r.out().contains("wrote"));
    assertTrue(r.err().contains("Read-only file system"), r.err());
    assertEquals(12, lines[5].strip().length(), "hostname = short id");
    for (String dev : List.of("null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "mqueue")) {
      assertTrue((" " + lines[6] + " ").contains(" " + dev + " "), dev + " in " + lines[6]);
    }
  }

  @Test
  void maskedPathsAreEmpty() throws Exception {
    // /proc/kcore only exists with CONFIG_PROC_KCORE; check every masked /proc file this host has.
    List<String> present = dev.jbuild.runtime.spec.SpecDefaults.MASKED_PATHS.stream()
        .filter(p -> p.startsWith("/proc/") && Files.isRegularFile(Path.of(p))).toList();
    assertTrue(present.contains("/proc/timer_list") || present.contains("/proc/kcore"), present.toString());
    StringBuilder script = new StringBuilder();
    for (String p : present) {
      script.append("echo ").append(p).append(" $(cat ").append(p).append(" | wc -c);");
    }
    Result r = run(sh(script.toString()).withNetwork(NetworkMode.NONE));
    for (String p : present) {
      assertTrue(r.out().contains(p + " 0\n"), p + " masked: " + r);
    }
  }

  @Test
  void seccompRefusesMountAndUnknownCallsGetEnosys() throws Exception {
    Result r = run(sh("mount -t tmpfs none /mnt; echo rc=$?; unshare -n true; echo rc=$?").withNetwork(NetworkMode.NONE));
    assertTrue(r.out().contains("rc=1\nrc=1") || r.out().contains("rc=255"), r.toString());
  }

  @Test
  void networkNoneHasOnlyLoopback() throws Exception {
    Result r = run(sh("ip -o link | cut -d: -f2").withNetwork(NetworkMode.NONE));
    assertEquals(List.of("lo"), List.of(r.out().strip().split("\\s+")), r.toString());
  }

  @Test
  void aReservationGivenUpReleasesItsNetworkAndState() throws Exception {
    Set<String> before = LeakCheck.snapshot();
    ContainerId id;
    try (Runtime.Reservation r = rt.reserve("given-up", ContainerSpec.of("true"), false, false)) {
      id = r.id();
      assertTrue(rt.store().read(id).isPresent());
    }
    assertTrue(rt.store().read(id).isEmpty(), "its state is deleted");
    assertFalse(Files.exists(rt.store().dir(id)));
    assertEquals(before, LeakCheck.snapshot(), "netns, veth, IP and rule released");
  }

  @Test
  void aPinFileThatNeverBecameANamespaceIsReaped() throws Exception {
    // a crash between creating the netns pin file and mounting the namespace on it: the ledger holds
    // the file and the planned CNI attachment; CNI DEL must not be handed the plain file
    Set<String> before = LeakCheck.snapshot();
    RuntimeConfig config = RuntimeConfig.defaults(tmp.resolve("store"), Map.of());
    ContainerId id = ContainerId.random();
    Path pin = Files.createDirectories(config.netnsDir()).resolve(id.hex());
    Files.createFile(pin);
    assertFalse(dev.jbuild.runtime.net.NetNs.isNamespace(pin));
    var plan = new dev.jbuild.runtime.container.Resource.CniAttachment(config.bridge().plan(id.hex(), pin, List.of()));
    long dead = Long.MAX_VALUE / 2;
    rt.store().create(new ContainerState(id, null, "2026-01-01T00:00:00Z", ContainerSpec.of("true"), List.of(), "BRIDGE",
        ContainerState.CREATED, dead, null, null, false, true, null, null, null, List.of(),
        List.of(new dev.jbuild.runtime.container.Resource.PinnedNetNs(pin), plan)));
    assertTrue(rt.reap().contains(id));
    assertFalse(Files.exists(pin));
    assertTrue(rt.store().read(id).isEmpty(), "reaped and, --rm, deleted");
    assertEquals(before, LeakCheck.snapshot());
  }

  @Test
  void aReservationIsCompletedWithTheImageSpec() throws Exception {
    // reserved from the flags alone, completed with what the image adds (here: the command and env)
    ContainerSpec flags = ContainerSpec.of("true");
    Runtime.Reservation r = rt.reserve(null, flags, true, false);
    RunRequest req = new RunRequest(List.of(busybox), sh("echo $A; ip -o -4 addr show eth0 | wc -l").withEnv(List.of("A=from-image")),
        null, true, Stdio.pipe());
    try (RunningContainer c = rt.open(req, r)) {
      c.stdin().close();
      String out = read(c.stdout());
      assertEquals(0, c.waitFor());
      assertEquals("from-image\n1\n", out);
      assertEquals(List.of(busybox), rt.store().read(c.id()).orElseThrow().lowers());
    }
    r.close(); // handed over: nothing left to do
    // a request that does not match its reservation (another network) is refused, and nothing leaks
    try (Runtime.Reservation other = rt.reserve(null, flags, true, false)) {
      RunRequest none = RunRequest.of(List.of(busybox), ContainerSpec.of("true").withNetwork(NetworkMode.NONE));
      assertThrows(IllegalStateException.class, () -> rt.open(none, other));
    }
  }

  @Test
  void bridgeGivesAnAddressAndLoopback() throws Exception {
    Result r = run(sh("ip -o -4 addr | awk '{print $2, $4}'; cat /etc/hosts; ip route"));
    assertTrue(r.out().contains("lo 127.0.0.1/8"), r.out());
    assertTrue(r.out().matches("(?s).*eth0 10\\.218\\.0\\.\\d+/24.*"), r.out());
    assertTrue(r.out().contains("default via 10.218.0.1"), r.out());
  }

  @Test
  void natToAWanNamespaceWithNoRouteBack() throws Exception {
    String ns = "jbrt-wan";
    Path pin = Path.of("/run/jbuild/netns-test-" + ns);
    List<List<String>> undo = new ArrayList<>();
    Process server = null;
    try {
      Files.createFile(pin);
      undo.add(List.of("rm", "-f", pin.toString()));
      sh0("unshare", "--net=" + pin, "true");
      undo.add(0, List.of("umount", pin.toString()));
      sh0("ip", "link", "add", "jbrt-h", "type", "veth", "peer", "name", "jbrt-w");
      undo.add(0, List.of("ip", "link", "del", "jbrt-h"));
      sh0("ip", "link", "set", "jbrt-w", "netns", pin.toString());
      sh0("ip", "addr", "add", "10.213.7.1/24", "dev", "jbrt-h");
      sh0("ip", "link", "set", "jbrt-h", "up");
      sh0("nsenter", "--net=" + pin, "ip", "addr", "add", "10.213.7.2/24", "dev", "jbrt-w");
      sh0("nsenter", "--net=" + pin, "ip", "link", "set", "jbrt-w", "up");
      sh0("nsenter", "--net=" + pin, "ip", "link", "set", "lo", "up");
      // The server answers each connection with its own view of the connection table.
      server = new ProcessBuilder("nsenter", "--net=" + pin, "busybox", "nc", "-l", "-p", "7777", "-e", "busybox", "netstat", "-tn")
          .redirectErrorStream(true).start();
      Thread.sleep(300);
      Result r = run(sh("nc -w 5 10.213.7.2 7777 </dev/null; ip -o -4 addr show eth0"));
      assertTrue(r.out().contains("10.213.7.2:7777"), r.toString());
      assertTrue(r.out().matches("(?s).*10\\.213\\.7\\.2:7777\\s+(::ffff:)?10\\.213\\.7\\.1:\\d+\\s.*"),
          "the server sees the host's address (MASQUERADE): " + r.out());
      String serverView = r.out().lines().filter(l -> l.contains(":7777")).reduce("", String::concat);
      assertFalse(serverView.contains("10.218.0."), "the container address must not reach the wan: " + r.out());
      assertTrue(r.out().contains("eth0    inet 10.218.0."), "while the container itself is on the bridge: " + r.out());
    } finally {
      if (server != null) {
        server.destroyForcibly().waitFor();
      }
      for (List<String> u : undo) {
        new ProcessBuilder(u).redirectErrorStream(true).start().waitFor();
      }
    }
  }

  static void sh0(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = read(p.getInputStream());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String httpGet(int port) throws Exception {
    Exception last = null;
    for (int i = 0; i < 50; i++) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
          return r.readLine();
        }
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  static ContainerSpec httpd(String body) {
    return sh("mkdir -p /www && echo " + body + " > /www/index.html && exec httpd -f -p 80 -h /www");
  }

  @Test
  void publishedPortsReachTheContainerFromTheHost() throws Exception {
    int p1 = freePort();
    int p2 = freePort();
    ContainerId a = rt.start(RunRequest.of(List.of(busybox), httpd("one")
        .withPorts(List.of(PortMapping.parse("127.0.0.1:" + p1 + ":80")))).withAutoRemove(false));
    ContainerId b = rt.start(RunRequest.of(List.of(busybox), httpd("two")
        .withPorts(List.of(PortMapping.parse(p2 + ":80")))).withAutoRemove(false));
    try {
      assertEquals("one", httpGet(p1));
      assertEquals("two", httpGet(p2));
    } finally {
      rt.rm(a.hex(), true);
      rt.rm(b.hex(), true);
    }
  }

  @Test
  void twoContainersTalkOverTheBridge() throws Exception {
    ContainerId server = rt.start(RunRequest.of(List.of(busybox), httpd("over-the-bridge")).withName("srv"));
    try {
      String ip = rt.inspect("srv").state().ip();
      assertTrue(ip.startsWith("10.218.0."), ip);
      Result r = run(sh("for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O- http://" + ip + "/ && exit 0; sleep 0.2; done; exit 1"));
      assertEquals(new Result(0, "over-the-bridge\n", ""), r);
    } finally {
      rt.rm(server.hex(), true);
    }
  }

  @Test
  void bindMountsReadWriteAndReadOnly() throws Exception {
    Path rw = Files.createDirectories(tmp.resolve("vol-rw"));
    Path ro = Files.createDirectories(tmp.resolve("vol-ro"));
    Files.writeString(ro.resolve("in"), "from-host");
    Result r = run(sh("echo from-container > /rw/out; cat /ro/in; echo x > /ro/nope; echo rc=$?")
        .withNetwork(NetworkMode.NONE)
        .withVolumes(List.of(new Volume.Bind(rw, "/rw", false), new Volume.Bind(ro, "/ro", true))));
    assertEquals("from-container\n", Files.readString(rw.resolve("out")));
    assertTrue(r.out().startsWith("from-host"), r.out());
    assertTrue(r.out().contains("rc=1"), r.out());
    assertFalse(Files.exists(ro.resolve("nope")));
  }

  @Test
  void userWorkdirEnvAndDns() throws Exception {
    Result r = run(sh("id -u; id -g; pwd; echo $GREETING; cat /etc/resolv.conf")
        .withUser("nobody").withWorkdir("/tmp").withEnv("GREETING", "hi").withDns(List.of("192.0.2.53")));
    String[] l = r.out().split("\n");
    assertEquals(List.of("65534", "65534", "/tmp", "hi"), List.of(l).subList(0, 4));
    assertTrue(r.out().contains("nameserver 192.0.2.53"), r.out());
  }

  @Test
  void detachedLogsStopAndRm() throws Exception {
    ContainerId id = rt.start(RunRequest.of(List.of(busybox),
        sh("echo started; echo to-stderr >&2; trap 'echo got-term; exit 3' TERM; while true; do sleep 0.1; done")
            .withNetwork(NetworkMode.NONE)).withAutoRemove(false).withName("det"));
    ContainerInfo info = rt.inspect("det");
    assertTrue(info.pid().isPresent(), "running with a pid");
    assertEquals(1, rt.ps(false).stream().filter(s -> s.id().equals(id)).count());
    Thread.sleep(300);
    rt.stop(id.shortId(), Duration.ofSeconds(5));
    ContainerInfo after = rt.inspect(id.hex());
    assertEquals(ContainerState.EXITED, after.state().status());
    assertEquals(3, after.state().exitCode());
    assertTrue(after.state().resources().isEmpty(), after.state().resources().toString());
    assertEquals("started\ngot-term\n", Files.readString(after.stdoutLog()));
    assertEquals("to-stderr\n", Files.readString(after.stderrLog()));
    assertEquals(0, rt.ps(false).stream().filter(s -> s.id().equals(id)).count());
    assertEquals(1, rt.ps(true).stream().filter(s -> s.id().equals(id)).count());
    rt.rm("det", false);
    assertFalse(Files.exists(after.dir()));
  }

  @Test
  void stopEscalatesToSigkill() throws Exception {
    ContainerId id = rt.start(RunRequest.of(List.of(busybox), sh("trap '' TERM; while true; do sleep 0.1; done")
        .withNetwork(NetworkMode.NONE)).withAutoRemove(true));
    long t0 = System.nanoTime();
    rt.stop(id.hex(), Duration.ofSeconds(1));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8));
    assertFalse(Files.exists(rt.store().dir(id)), "--rm removed it");
  }

  @Test
  void execInARunningContainer() throws Exception {
    ContainerId id = rt.start(RunRequest.of(List.of(busybox), ContainerSpec.of("sleep", "1000")).withAutoRemove(false));
    try {
      RuntimeProcess p = rt.exec(id.hex(), new ExecSpec(List.of("sh", "-c", "cat /etc/hostname; echo $X; ps -o comm | grep -c sleep; exit 5"),
          List.of("X=exec-env"), "", "", false), Stdio.pipe());
      p.stdin().close();
      String out = read(p.stdout());
      assertEquals(5, p.waitFor());
      assertEquals(id.shortId() + "\nexec-env\n1\n", out);
      RuntimeProcess missing = rt.exec(id.hex(), ExecSpec.of("no-such"), Stdio.pipe());
      missing.stdin().close();
      read(missing.stdout());
      assertEquals(127, missing.waitFor());
      RuntimeProcess asNobody = rt.exec(id.hex(), new ExecSpec(List.of("id", "-u"), List.of(), "nobody", "/tmp", false), Stdio.pipe());
      asNobody.stdin().close();
      assertEquals("65534\n", read(asNobody.stdout()));
      assertEquals(0, asNobody.waitFor());
    } finally {
      rt.rm(id.hex(), true);
    }
  }

  @Test
  void killNineOfAForegroundRunIsReapedByTheNextCommand() throws Exception {
    Process child = childRun();
    String id;
    try {
      id = awaitStarted(child);
      assertTrue(LeakCheck.snapshot().stream().anyMatch(s -> s.contains(id)), "resources are held");
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    assertEquals(1, masqueradeRules(), "the dead container still holds the shared NAT rule");
    rt.reap();
    assertTrue(LeakCheck.snapshot().stream().noneMatch(s -> s.contains(id)), "nothing of " + id + " is left");
    assertEquals(0, masqueradeRules(), "the reaper released the last user of the NAT rule");
    assertEquals(0, rt.ps(true).stream().filter(s -> s.id().hex().equals(id)).count(),
        "a --rm container is deleted once reaped");
  }

  /** A foreground run in a child JVM ({@link ForegroundRunMain}). */
  private static Process childRun(String... more) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), ForegroundRunMain.class.getName(), tmp.resolve("store").toString(),
        busybox.toString()));
    cmd.addAll(List.of(more));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @Test
  void sigtermWhileTheImageIsReadReleasesTheReservation() throws Exception {
    Set<String> before = LeakCheck.snapshot();
    Process child = childRun("reserve");
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertTrue(line != null && line.startsWith("reserved "), "child said " + line);
      ContainerId id = new ContainerId(line.substring(9));
      assertTrue(LeakCheck.snapshot().stream().anyMatch(s -> s.contains(id.hex())), "its netns is held");
      child.destroy(); // SIGTERM, like Ctrl-C's SIGINT
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM exits");
      // No reap() here: the reservation's shutdown hook must have released it.
      assertEquals(before, LeakCheck.snapshot());
      assertFalse(Files.exists(rt.store().dir(id)), "its state is gone");
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  /** Reads the child's "started ID" line and waits until runc reports the container running. */
  private static String awaitStarted(Process child) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    assertTrue(line != null && line.startsWith("started "), "child said " + line);
    String id = line.substring(8);
    for (int i = 0; i < 100 && rt.inspect(id).pid().isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertTrue(rt.inspect(id).pid().isPresent(), "container runs");
    return id;
  }

  @Test
  void terminalGivesTheContainerAPty() throws Exception {
    try (RunningContainer c = rt.open(RunRequest.of(List.of(busybox), sh("tty; echo cols=$(stty size)").withTerminal(true)
        .withNetwork(NetworkMode.NONE)).withStdio(new Stdio.Terminal(Stdio.pipe())))) {
      c.stdin().close();
      String out = read(c.stdout());
      assertEquals(0, c.waitFor(), out);
      assertTrue(out.contains("/dev/pts/0"), out);
      assertTrue(out.contains("cols="), out);
    }
  }

  @Test
  void sigtermOfAForegroundRunStopsAndReleasesThroughTheShutdownHook() throws Exception {
    Set<String> before = LeakCheck.snapshot();
    Process child = childRun();
    try {
      String id = awaitStarted(child);
      child.destroy(); // SIGTERM, like Ctrl-C's SIGINT: the JVM runs its shutdown hooks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM exits");
      // No reap() here: the hook itself must have released everything.
      assertEquals(before, LeakCheck.snapshot());
      assertFalse(Files.exists(rt.store().dir(new ContainerId(id))), "--rm honoured by the hook");
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  @Test
  void readOnlyRootfsAndHostNetwork() throws Exception {
    Result ro = run(sh("touch /x; echo rc=$?").withNetwork(NetworkMode.NONE)
        .withSecurity(dev.jbuild.runtime.spec.Security.DEFAULT.withReadOnlyRootfs(true)));
    assertTrue(ro.out().contains("rc=1"), ro.toString());
    Result host = run(sh("ip -o link | grep -c eth0").withNetwork(NetworkMode.HOST));
    assertEquals("1", host.out().strip(), host.toString());
  }

  /** The copies of jbuild's shared masquerade rule of the default network in the nat table. */
  static long masqueradeRules() throws Exception {
    return LeakCheck.snapshot().stream()
        .filter(l -> l.startsWith("iptables ") && l.contains(SharedMasquerade.comment("jbuild"))).count();
  }

  @Test
  void oneSharedMasqueradeRuleFromTheFirstContainerToTheLast() throws Exception {
    assertEquals(0, masqueradeRules());
    ContainerId a = rt.start(RunRequest.of(List.of(busybox), sh("sleep 1000")).withAutoRemove(false));
    ContainerId b = null;
    try {
      assertEquals(1, masqueradeRules());
      b = rt.start(RunRequest.of(List.of(busybox), sh("sleep 1000")).withAutoRemove(false));
      assertEquals(1, masqueradeRules(), "one rule for the subnet, not one per container");
      rt.rm(a.hex(), true);
      a = null;
      assertEquals(1, masqueradeRules(), "the second container still uses it");
      rt.rm(b.hex(), true);
      b = null;
      assertEquals(0, masqueradeRules(), "gone with the last container");
    } finally {
      for (ContainerId c : java.util.Arrays.asList(a, b)) {
        if (c != null) {
          rt.rm(c.hex(), true);
        }
      }
    }
  }

  @Test
  void concurrentRunsGetTheirOwnAddressesAndLeaveNothing() throws Exception {
    int n = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      List<java.util.concurrent.Future<Result>> runs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // a store each: the network set-up runs concurrently in one JVM (ContainerStore.create's file lock
        // is per process, so one store is not meant for concurrent runs within a JVM)
        Runtime own = new Runtime(RuntimeConfig.defaults(tmp.resolve("store-concurrent-" + i), Map.of()));
        runs.add(pool.submit(() -> run(own, RunRequest.of(List.of(busybox),
            sh("ip -o -4 addr show eth0 | awk '{print $4}'; ip -o link show lo")))));
      }
      Set<String> addresses = new java.util.TreeSet<>();
      for (var f : runs) {
        Result r = f.get(120, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("LOOPBACK,UP"), r.toString());
        addresses.add(r.out().lines().findFirst().orElse(""));
      }
      assertEquals(n, addresses.size(), "distinct addresses: " + addresses);
      assertTrue(addresses.stream().allMatch(a -> a.matches("10\\.218\\.0\\.\\d+/24")), addresses.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, masqueradeRules());
  }
}
