package dev.jbuild.runtime;

import dev.jbuild.runtime.container.ContainerId;
import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.container.Reaper;
import dev.jbuild.runtime.container.Resource;
import dev.jbuild.runtime.container.ResourceLedger;
import dev.jbuild.runtime.net.Attachment;
import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniResult;
import dev.jbuild.runtime.net.DnsFiles;
import dev.jbuild.runtime.net.NetNs;
import dev.jbuild.runtime.oci.ExecSpec;
import dev.jbuild.runtime.oci.RuntimeProcess;
import dev.jbuild.runtime.oci.RuntimeState;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.spec.RecordJson;
import dev.jbuild.runtime.spec.ResolvedUser;
import dev.jbuild.runtime.spec.RuntimeSpec;
import dev.jbuild.runtime.spec.SpecGenerator;
import dev.jbuild.runtime.spec.UserResolver;
import dev.jbuild.runtime.spec.ScopedPath;
import dev.jbuild.runtime.spec.Volume;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The runtime facade: runs containers from a list of rootfs layers and a {@link ContainerSpec}, in
 * the foreground or detached, and manages them afterwards ({@code ps}, {@code stop}, {@code kill},
 * {@code rm}, {@code exec}, {@code logs}, {@code inspect}).
 *
 * <p>Setting a container up acquires, each recorded in the ledger first: the overlay rootfs, the
 * pinned netns, the CNI bridge attachment (these two on a thread of their own, while the rootfs is
 * mounted), the runc container.
 * They are released in reverse when the container ends, when setup fails, on Ctrl-C (a JVM shutdown
 * hook) and, after a crash, by the {@link Reaper} that every entry point runs first.
 */
public final class Runtime {
  private final RuntimeConfig config;
  private final ContainerStore store;
  private final Reaper reaper;
  private final Tracer tracer;

  public Runtime(RuntimeConfig config) {
    this(config, Tracer.NONE);
  }

  public Runtime(RuntimeConfig config, Tracer tracer) {
    this.config = config;
    this.tracer = tracer;
    this.store = new ContainerStore(config.storeRoot());
    this.reaper = new Reaper(store, config.oci(), config.cni());
  }

  public ContainerStore store() {
    return store;
  }

  /** Finishes off dead containers (see {@link Reaper}); every command calls this first. */
  public List<ContainerId> reap() throws IOException {
    return reaper.reapDead();
  }

  /** Runs a container in the foreground and returns its exit status (see {@link RunningContainer#waitFor()}). */
  public int run(RunRequest request) throws IOException, InterruptedException {
    try (RunningContainer c = open(request)) {
      return c.waitFor();
    }
  }

  /**
   * Starts a container in the foreground of this JVM. The caller waits with {@link
   * RunningContainer#waitFor()} and must close it (which stops the container if still running and
   * releases everything). A shutdown hook does the same if the JVM exits first (Ctrl-C).
   */
  public RunningContainer open(RunRequest request) throws IOException {
    return open(request, reserve(request.name(), request.spec(), request.autoRemove(), false));
  }

  /**
   * As {@link #open(RunRequest)}, for a container {@link #reserve reserved} earlier, which this takes
   * over (released here if the set-up fails).
   */
  public RunningContainer open(RunRequest request, Reservation reservation) throws IOException {
    return setUp(request, reservation, false, p -> {
      long t = System.nanoTime();
      RuntimeProcess process = config.oci().run(p.id.hex(), p.dir, request.stdio());
      t = lap("runtime-spawn", t);
      long runcPid = process.pid();
      Long runcStart = Reaper.startOf(runcPid);
      store.update(p.id, s -> s.withStatus(ContainerState.RUNNING).withRuntimeProcess(p.id.hex(), runcPid, runcStart));
      lap("state", t);
      return new RunningContainer(this, p.id, process, request.spec().effectiveStopSignal(), p.ledger);
    });
  }

  /** Starts a container detached (its output goes to its logs) and returns its id once it runs. */
  public ContainerId start(RunRequest request) throws IOException {
    return start(request, reserve(request.name(), request.spec(), request.autoRemove(), true));
  }

  /** As {@link #start(RunRequest)}, for a container {@link #reserve reserved} earlier, which this takes over. */
  public ContainerId start(RunRequest request, Reservation reservation) throws IOException {
    // A detached container has no caller terminal to relay; its output goes to the logs as plain
    // streams (runc would need a console socket to hand the pty to a supervisor).
    return setUp(request.withSpec(request.spec().withTerminal(false)), reservation, true, p -> {
      Path dir = p.dir;
      long monitor = config.oci().runDetached(p.id.hex(), dir, dir.resolve("stdout.log"), dir.resolve("stderr.log"),
          dir.resolve("exit-code"));
      // From here the monitor, not this JVM, decides how long the resources live.
      store.update(p.id, s -> s.withStatus(ContainerState.RUNNING).withMonitor(monitor)
          .withOwner(monitor, Reaper.startOf(monitor)));
      return p.id;
    });
  }

  /** What starts a prepared container; what it returns owns the container from then on. */
  private interface Launch<T> {
    T start(Prepared p) throws IOException;
  }

  /**
   * Completes {@code r} under its lock (see {@link Reservation}): prepares the container, then launches
   * it; a failure on the way releases what was acquired.
   */
  private <T> T setUp(RunRequest req, Reservation r, boolean detached, Launch<T> launch) throws IOException {
    synchronized (r) {
      r.handOver(req, detached);
      Prepared p;
      try {
        p = prepare(req, r);
      } catch (IOException | RuntimeException e) {
        r.ended(false); // prepare released it
        throw e;
      }
      try {
        T owner = launch.start(p);
        r.ended(true);
        return owner;
      } catch (IOException | RuntimeException e) {
        abort(p, e);
        r.ended(false);
        throw e;
      }
    }
  }

  private record Prepared(ContainerId id, Path dir, ResourceLedger ledger) {}

  /**
   * A container being set up: its state, with the ledger, exists, and its network (netns plus CNI ADD,
   * mostly waiting for the plugins) is being made on a thread of its own. {@link #reserve} makes one
   * from the flags alone, so that a caller can start the network before it has read the image; {@link
   * #open(RunRequest, Reservation)} or {@link #start(RunRequest, Reservation)} completes it. Closing a
   * reservation that was not handed over releases everything it holds and deletes its state.
   */
  public final class Reservation implements AutoCloseable {
    private final Prepared prepared;
    private final boolean detached;
    private final Resource.CniAttachment planned;
    private final CompletableFuture<Attachment> network;
    private final Optional<Path> netns;
    private final ContainerSpec reserved;
    private final String name;
    private final Thread hook;
    /** OPEN until a set-up takes it over (TAKEN) or it is released (RELEASED); guarded by this. */
    private Phase phase = Phase.OPEN;

    private enum Phase { OPEN, SETTING_UP, TAKEN, RELEASED }

    private Reservation(Prepared prepared, String name, boolean detached, ContainerSpec reserved,
        Resource.CniAttachment planned, CompletableFuture<Attachment> network, Optional<Path> netns) {
      this.prepared = prepared;
      this.name = name;
      this.detached = detached;
      this.reserved = reserved;
      this.planned = planned;
      this.network = network;
      this.netns = netns;
      // Ctrl-C (or SIGTERM) while the caller still reads the image: released here, not left to the
      // next command's reaper. A set-up in progress holds this object's lock, so the hook waits for it
      // and then finds the container taken over (its own hook takes care of it) or released.
      this.hook = new Thread(this::onShutdown, "jbuild-release-" + prepared.id().shortId());
      java.lang.Runtime.getRuntime().addShutdownHook(hook);
    }

    public ContainerId id() {
      return prepared.id();
    }

    /**
     * Starts the set-up (the caller holds this object's lock until it ends); the request must ask for
     * the network the container was reserved with.
     */
    private void handOver(RunRequest req, boolean asDetached) throws IOException {
      if (phase == Phase.RELEASED) {
        throw new java.io.InterruptedIOException("container " + id().shortId() + " was released: jbuild is exiting");
      }
      if (phase != Phase.OPEN) {
        throw new IllegalStateException("[internal error] reservation " + id().shortId() + " used twice");
      }
      // (the ports compared by their JSON: a record list's equals would bootstrap record equals at run time)
      if (asDetached != detached || req.spec().network() != reserved.network()
          || !java.util.Objects.equals(req.name(), name)
          || !java.util.Arrays.equals(RecordJson.write(req.spec().ports(), false), RecordJson.write(reserved.ports(), false))) {
        throw new IllegalStateException("[internal error] reservation " + id().shortId() + " does not match its request");
      }
      phase = Phase.SETTING_UP;
    }

    /** The set-up ended: the container is owned by what it made ({@code taken}) or it was released. */
    private void ended(boolean taken) {
      phase = taken ? Phase.TAKEN : Phase.RELEASED;
      try {
        java.lang.Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException exiting) {
        // the JVM is exiting: the hook runs, waits for this lock and finds nothing to do
      }
    }

    private synchronized void onShutdown() {
      if (phase == Phase.OPEN) {
        try {
          release();
        } catch (IOException | RuntimeException e) {
          System.err.println("jbuild: releasing container " + id().shortId() + ": " + e.getMessage());
        }
      }
    }

    /** Releases what was reserved unless a set-up took it over. */
    @Override
    public synchronized void close() throws IOException {
      if (phase == Phase.OPEN) {
        try {
          release();
        } finally {
          ended(false);
        }
      }
    }

    private void release() throws IOException {
      phase = Phase.RELEASED;
      if (network != null) {
        try {
          joinNetwork(network);
        } catch (IOException | RuntimeException e) {
          // released below with the rest; the set-up did not happen, so its failure is not the caller's
        }
      }
      prepared.ledger().close();
      store.delete(prepared.id());
    }
  }

  /**
   * Creates the state of a container from the flags alone ({@code spec}'s network and ports are the
   * container's; the rest is replaced when the reservation is completed) and starts its network. For
   * a caller that still has the image to read: the network comes up meanwhile.
   */
  public Reservation reserve(String name, ContainerSpec spec, boolean autoRemove, boolean detached) throws IOException {
    long t = System.nanoTime();
    reap();
    t = lap("reap", t);
    RunRequest.checkName(name);
    ContainerId id = ContainerId.random();
    long self = ProcessHandle.current().pid();
    // The resources the set-up will acquire are in the ledger from the state's first write on: the
    // rootfs overlay and, bridged, the pinned netns and the CNI attachment as planned.
    Path dir = store.dir(id);
    List<Resource> ledgered = new ArrayList<>(List.of(new Resource.OverlayRootfs(dir.resolve("rootfs"))));
    Optional<Path> netns = Optional.empty();
    Resource.CniAttachment planned = null;
    Attachment plan = null;
    if (spec.network() == NetworkMode.BRIDGE) {
      Path nsFile = config.netnsDir().resolve(id.hex());
      plan = config.bridge().plan(id.hex(), nsFile, spec.ports());
      planned = new Resource.CniAttachment(plan);
      ledgered.add(new Resource.PinnedNetNs(nsFile));
      ledgered.add(planned);
      netns = Optional.of(nsFile);
    }
    ContainerState initial = new ContainerState(id, name, Instant.now().toString(), spec, List.of(),
        spec.network().toString(), ContainerState.CREATED, self, Reaper.startOf(self), null, detached, autoRemove,
        null, null, null, spec.ports(), ledgered);
    store.create(initial);
    lap("state", t);
    ResourceLedger ledger = new ResourceLedger(store, id, config.oci(), config.cni());
    Prepared p = new Prepared(id, dir, ledger);
    try {
      CompletableFuture<Attachment> network = plan == null ? null : startNetwork(id, plan);
      return new Reservation(p, name, detached, spec, planned, network, netns);
    } catch (RuntimeException e) {
      abort(p, e);
      throw e;
    }
  }

  /** Completes a reservation: the rootfs, the user, the network's result, /etc files and config.json. */
  private Prepared prepare(RunRequest req, Reservation r) throws IOException {
    ContainerSpec spec = req.spec();
    Prepared p = r.prepared;
    ContainerId id = p.id();
    Path dir = p.dir();
    ResourceLedger ledger = p.ledger();
    long t = System.nanoTime();
    try {
      Path rootfs = dir.resolve("rootfs");
      CompletableFuture<Attachment> network = r.network;
      Resource.CniAttachment planned = r.planned;
      Optional<Path> netns = r.netns;
      ResolvedUser user;
      ContainerSpec effective;
      try {
        OverlayMount.mount(new OverlayOptions(req.lowers(), dir.resolve("upper"), dir.resolve("work")), rootfs);
        t = lap("overlay", t);
        user = new UserResolver(rootfs).resolve(spec.user());
        t = lap("user", t);
        effective = spec.volumes().stream().anyMatch(v -> v instanceof Volume.Anonymous)
            ? spec.withVolumes(anonymousVolumes(spec.volumes(), rootfs, dir.resolve("volumes"))) : spec;
      } catch (IOException | RuntimeException e) {
        if (network != null) {
          // the ledger is released after the network thread is done with it
          try {
            joinNetwork(network);
          } catch (IOException | RuntimeException also) {
            e.addSuppressed(also);
          }
        }
        throw e;
      }

      String hostname = spec.hostname() != null ? spec.hostname() : id.shortId();
      Optional<String> ip = Optional.empty();
      Resource.CniAttachment attached = null;
      if (network != null) {
        Attachment bridge = joinNetwork(network);
        t = lap("network-wait", t);
        attached = new Resource.CniAttachment(bridge);
        ip = CniResult.parse(bridge.result()).ipv4();
      }
      List<RuntimeSpec.Mount> dnsMounts = DnsFiles.write(dir.resolve("etc"), config.hostFiles(), hostname, ip,
          spec.dns(), spec.extraHosts(), spec.network() == NetworkMode.HOST);
      RuntimeSpec rs = new SpecGenerator(config.hostLimits()).generate(effective,
          new SpecGenerator.Inputs("rootfs", user, hostname, netns, dnsMounts, "/jbuild/" + id.hex()));
      rs.writeTo(dir);
      // One write for what the set-up learnt and what comes next: the request (spec, layers), the CNI
      // result (what DEL is given back) and address, and the runc container, recorded before it is run.
      Resource.CniAttachment result = attached;
      String ipv4 = ip.orElse(null);
      Resource runc = new Resource.RuncContainer(id.hex(), config.oci().root());
      store.update(id, s -> {
        ContainerState n = s.withRequest(spec, req.lowers());
        if (result != null) {
          n = n.withResources(ResourceLedger.replaced(n.resources(), planned, result)).withIp(ipv4);
        }
        return n.plusResource(runc);
      });
      lap("spec", t);
      return p;
    } catch (IOException | RuntimeException e) {
      abort(p, e);
      throw e;
    }
  }

  /**
   * Turns each anonymous volume into a bind of a fresh directory under {@code volumesDir} (inside the
   * container's directory, so it goes with the container), first filled with a copy of what the image
   * has at that path, as docker's local volumes are.
   */
  private static List<Volume> anonymousVolumes(List<Volume> volumes, Path rootfs, Path volumesDir) throws IOException {
    List<Volume> out = new ArrayList<>();
    int n = 0;
    for (Volume v : volumes) {
      if (!(v instanceof Volume.Anonymous a)) {
        out.add(v);
        continue;
      }
      Path vol = Files.createDirectories(volumesDir.resolve(Integer.toString(n++)));
      // resolved within the rootfs, so an image's symlink cannot make jbuild copy host files
      Path src = ScopedPath.resolve(rootfs, a.destination());
      if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
        copyTree(src, vol);
      }
      out.add(new Volume.Bind(vol, a.destination(), false));
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Process p = new ProcessBuilder("cp", "-a", "--", from + "/.", to.toString()).redirectErrorStream(true).start();
    String msg = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("filling anonymous volume from " + from + ": " + msg);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** Creates the pinned netns (with lo up) and runs CNI ADD for {@code plan}, on a thread of its own. */
  private CompletableFuture<Attachment> startNetwork(ContainerId id, Attachment plan) {
    CompletableFuture<Attachment> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        long t = System.nanoTime();
        NetNs.create(config.netnsDir(), id.hex());
        t = lap("netns", t);
        Attachment a = BridgeNetwork.attach(config.cni(), plan);
        lap("cni-bridge", t);
        done.complete(a);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "jbuild-network");
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  private static Attachment joinNetwork(CompletableFuture<Attachment> network) throws IOException {
    try {
      return network.get();
    } catch (InterruptedException e) {
      // the ledger is released by the caller only once the network thread is done with the store
      try {
        network.join();
      } catch (RuntimeException ignored) {
        // reported through the interruption
      }
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while setting up the network");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      } else if (c instanceof RuntimeException re) {
        throw re;
      } else if (c instanceof Error err) {
        throw err;
      }
      throw new IOException("network set-up failed: " + c, c);
    }
  }

  /** Releases a failed setup; cleanup errors are attached to the original one. */
  private void abort(Prepared p, Exception cause) {
    try {
      finish(p.id, p.ledger, null);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Releases the ledger, records the exit status and honours --rm. */
  void finish(ContainerId id, ResourceLedger ledger, Integer exitCode) throws IOException {
    long t = System.nanoTime();
    Optional<ContainerState> left = ledger.release();
    t = lap("release", t);
    if (left.isPresent() && left.get().autoRemove()) {
      store.delete(id); // --rm: nobody reads the exit status of a state that goes
      lap("delete", t);
    } else if (left.isPresent()) {
      store.update(id, st -> st.withExit(exitCode, Instant.now().toString()));
      lap("state", t);
    }
  }

  /** Reports the phase that started at {@code since}; returns now. */
  long lap(String phase, long since) {
    long now = System.nanoTime();
    tracer.phase(phase, now - since);
    return now;
  }

  /** The containers, running ones only unless {@code all}. */
  public List<ContainerState> ps(boolean all) throws IOException {
    reap();
    return store.list().stream().filter(s -> all || !ContainerState.EXITED.equals(s.status())).toList();
  }

  public ContainerInfo inspect(String ref) throws IOException {
    reap();
    ContainerState s = store.resolve(ref);
    Optional<RuntimeState> rt = ContainerState.EXITED.equals(s.status()) ? Optional.empty()
        : config.oci().state(s.id().hex());
    return new ContainerInfo(s, rt, store.dir(s.id()));
  }

  /** Sends {@code signal} to the container's init process. */
  public void kill(String ref, String signal) throws IOException {
    reap();
    ContainerState s = store.resolve(ref);
    if (!isRunning(s)) {
      throw new JbuildException(s.id().shortId(), "container is not running", null);
    }
    config.oci().kill(s.id().hex(), signal, false);
  }

  /**
   * Stops a container: its stop signal, then SIGKILL after {@code timeout}; then releases its resources
   * unless a live foreground owner does that itself. Returns once it has stopped.
   */
  public void stop(String ref, Duration timeout) throws IOException {
    reap();
    ContainerState s = store.resolve(ref);
    stopProcess(s.id(), s.spec().effectiveStopSignal(), timeout);
    awaitRelease(s.id(), Duration.ofSeconds(10));
  }

  void stopProcess(ContainerId id, String signal, Duration timeout) throws IOException {
    String rid = id.hex();
    if (config.oci().state(rid).filter(RuntimeState::isRunning).isEmpty()) {
      return;
    }
    config.oci().kill(rid, signal, false);
    if (!awaitStopped(rid, timeout)) {
      config.oci().kill(rid, "SIGKILL", true);
      awaitStopped(rid, Duration.ofSeconds(10));
    }
  }

  private boolean awaitStopped(String rid, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      if (config.oci().state(rid).filter(RuntimeState::isRunning).isEmpty()) {
        return true;
      }
      pause(10);
    } while (System.nanoTime() < deadline);
    return false;
  }

  /** Waits for the owner to release (a detached monitor ends right after runc); reaps if it is gone. */
  private void awaitRelease(ContainerId id, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ContainerState> s = store.read(id);
      if (s.isEmpty() || (s.get().resources().isEmpty() && ContainerState.EXITED.equals(s.get().status()))) {
        return;
      }
      if (Reaper.needsReaping(s.get())) {
        reaper.reap(id);
        return;
      }
      pause(10);
    }
  }

  /** Removes a stopped container; {@code force} kills a running one first. */
  public void rm(String ref, boolean force) throws IOException {
    reap();
    ContainerState s = store.resolve(ref);
    if (isRunning(s)) {
      if (!force) {
        throw new JbuildException(s.id().shortId(), "cannot remove a running container (stop it first or use force)", null);
      }
      stopProcess(s.id(), "SIGKILL", Duration.ZERO);
      awaitRelease(s.id(), Duration.ofSeconds(10));
    }
    Optional<ContainerState> now = store.read(s.id());
    if (now.isPresent() && !now.get().resources().isEmpty()) {
      reaper.reap(s.id());
    }
    store.delete(s.id());
  }

  /**
   * Starts another process in a running container ({@code runc exec}); the caller waits for it. A
   * user name in {@code exec.user()} is resolved through the container's own /etc/passwd.
   */
  public RuntimeProcess exec(String ref, ExecSpec exec, Stdio stdio) throws IOException {
    reap();
    ContainerState s = store.resolve(ref);
    if (!isRunning(s)) {
      throw new JbuildException(s.id().shortId(), "container is not running", null);
    }
    ExecSpec resolved = exec;
    if (!exec.user().isEmpty() && !exec.user().matches("\\d+(:\\d+)?")) {
      ResolvedUser u = new UserResolver(store.dir(s.id()).resolve("rootfs")).resolve(exec.user());
      resolved = new ExecSpec(exec.args(), exec.env(), u.uid() + ":" + u.gid(), exec.cwd(), exec.terminal());
    }
    return config.oci().exec(s.id().hex(), resolved, stdio);
  }

  /** The container's log files (stdout.log, stderr.log): only detached containers write them. */
  public ContainerInfo logs(String ref) throws IOException {
    return inspect(ref);
  }

  private boolean isRunning(ContainerState s) throws IOException {
    return !ContainerState.EXITED.equals(s.status())
        && config.oci().state(s.id().hex()).filter(RuntimeState::isRunning).isPresent();
  }

  RuntimeConfig config() {
    return config;
  }

  static void pause(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }
}
