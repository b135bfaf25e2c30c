package dev.jbuild.runtime.oci;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.runtime.spec.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link OciRuntime} over the {@code runc} binary (1.1 tested). Every call passes {@code --root} (jbuild's
 * own state directory) and {@code --log} with JSON format, so runc's error messages are read from its
 * log instead of being mixed into the container's stderr.
 */
public final class RuncRuntime implements OciRuntime {
  /** jbuild's runc state root: apart from other tools', and where leak checks look. */
  public static final Path DEFAULT_ROOT = Path.of("/run/jbuild/runc");

  private static final int LAST_LINES = 5;

  private final Path binary;
  private final Path root;

  public RuncRuntime(Path binary, Path root) {
    this.binary = binary;
    this.root = root;
  }

  /** runc found on PATH, with the default state root. */
  public static RuncRuntime onPath() {
    return new RuncRuntime(Path.of("runc"), DEFAULT_ROOT);
  }

  @Override
  public Path root() {
    return root;
  }

  private List<String> base(Path log) {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
    cmd.addAll(List.of("--log", log.toString(), "--log-format", "json"));
    return cmd;
  }

  private static final java.util.concurrent.atomic.AtomicLong LOGS = new java.util.concurrent.atomic.AtomicLong();

  /**
   * A new, empty log file for one runc command ({@code .log-PID-N-NANOS.json}, mode 0600). Not
   * Files.createTempFile: its SecureRandom set-up costs a one-shot {@code jbuild run} some ms.
   */
  private Path newLog() throws IOException {
    Files.createDirectories(root);
    String base = ".log-" + ProcessHandle.current().pid() + "-";
    for (int attempt = 0; ; attempt++) {
      Path p = root.resolve(base + LOGS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + ".json");
      try {
        return Files.createFile(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  @Override
  public RuntimeProcess run(String id, Path bundle, Stdio stdio) throws IOException {
    Path log = newLog();
    List<String> cmd = base(log);
    cmd.addAll(List.of("run", "--bundle", bundle.toString(), id));
    return startForeground(id, "running container", cmd, stdio, log);
  }

  @Override
  public RuntimeProcess exec(String id, ExecSpec exec, Stdio stdio) throws IOException {
    Path log = newLog();
    List<String> cmd = base(log);
    cmd.add("exec");
    if (exec.terminal()) {
      cmd.add("--tty");
    }
    for (String e : exec.env()) {
      cmd.addAll(List.of("--env", e));
    }
    if (!exec.user().isEmpty()) {
      cmd.addAll(List.of("--user", exec.user()));
    }
    if (!exec.cwd().isEmpty()) {
      cmd.addAll(List.of("--cwd", exec.cwd()));
    }
    cmd.add(id);
    cmd.addAll(exec.args());
    return startForeground(id, "executing in container", cmd, stdio, log);
  }

  private RuntimeProcess startForeground(String id, String what, List<String> cmd, Stdio stdio, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(stdio instanceof Stdio.Terminal ? underScript(cmd) : cmd);
    switch (stdio) {
      case Stdio.Inherit i -> pb.inheritIO();
      case Stdio.NoInput n -> pb.inheritIO().redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      case Stdio.Terminal t -> {
        if (t.outer() instanceof Stdio.Inherit) {
          pb.inheritIO();
        }
      }
      case Stdio.Pipe p -> { }
      case Stdio.Files f -> pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(f.stdout().toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(f.stderr().toFile()));
    }
    Process p = pb.start();
    return new RuncProcess(id, what, p, log);
  }

  /** util-linux script: a pty for the command, its exit status returned (-e), no typescript file. */
  static List<String> underScript(List<String> cmd) {
    return List.of("script", "-q", "-e", "-c", shellQuote(cmd), "/dev/null");
  }

  static String shellQuote(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append('\'').append(w.replace("'", "'\\''")).append('\'');
    }
    return sb.toString();
  }

  /** The monitor: runs the foreground runtime, then records its exit status atomically. */
  private static final String MONITOR = """
      exit_file=$1; shift
      "$@" </dev/null
      rc=$?
      echo "$rc" >"$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"
      """;

  @Override
  public long runDetached(String id, Path bundle, Path stdout, Path stderr, Path exitFile) throws IOException {
    Path log = bundle.resolve("runc.log");
    List<String> runc = base(log);
    runc.addAll(List.of("run", "--bundle", bundle.toString(), id));
    List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", MONITOR, "jbuild-monitor", exitFile.toString()));
    cmd.addAll(runc);
    Files.deleteIfExists(exitFile);
    Process monitor = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<RuntimeState> st = state(id);
      if (st.isPresent() && "running".equals(st.get().status())) {
        return monitor.pid();
      }
      if (!monitor.isAlive()) {
        List<String> errors = errorLines(log);
        if (!errors.isEmpty() && Files.exists(exitFile)) {
          throw new RuntimeFailureException(id, "starting detached container",
              Integer.parseInt(Files.readString(exitFile).strip()), errors);
        }
        return monitor.pid(); // it ran and already exited; the exit file has its status
      }
      sleep(5);
    }
    monitor.destroy();
    throw new RuntimeFailureException(id, "starting detached container: timed out", -1, errorLines(log));
  }

  @Override
  public void create(String id, Path bundle) throws IOException {
    invoke(id, "creating container", List.of("create", "--bundle", bundle.toString(), id));
  }

  @Override
  public void start(String id) throws IOException {
    invoke(id, "starting container", List.of("start", id));
  }

  @Override
  public Optional<RuntimeState> state(String id) throws IOException {
    Result r = call(List.of("state", id));
    if (r.exit != 0) {
      if (r.errors.stream().anyMatch(RuncRuntime::isNotFound)) {
        return Optional.empty();
      }
      throw new RuntimeFailureException(id, "reading container state", r.exit, r.errors);
    }
    return Optional.of(RecordJson.read(r.stdout, RuntimeState.class));
  }

  @Override
  public List<RuntimeState> list() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    Result r = call(List.of("list", "--format", "json"));
    if (r.exit != 0) {
      throw new RuntimeFailureException(null, "listing containers", r.exit, r.errors);
    }
    JsonNode n = RecordJson.mapper().readTree(r.stdout);
    if (n == null || n.isNull()) {
      return List.of();
    }
    return RecordJson.mapper().convertValue(n, new TypeReference<List<RuntimeState>>() {});
  }

  @Override
  public void kill(String id, String signal, boolean all) throws IOException {
    List<String> args = new ArrayList<>(List.of("kill"));
    if (all) {
      args.add("--all");
    }
    args.addAll(List.of(id, signal));
    Result r = call(args);
    if (r.exit != 0 && !r.errors.stream().anyMatch(e -> isNotFound(e) || e.contains("process already finished")
        || e.contains("container not running"))) {
      throw new RuntimeFailureException(id, "sending " + signal, r.exit, r.errors);
    }
  }

  @Override
  public void delete(String id, boolean force) throws IOException {
    // runc keeps each container's state in <root>/<id>; a foreground run removes it itself when the
    // process ends, so the common case needs no runc process at all.
    if (!id.contains("/") && !Files.exists(root.resolve(id))) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("delete"));
    if (force) {
      args.add("--force");
    }
    args.add(id);
    Result r = call(args);
    if (r.exit != 0 && !r.errors.stream().anyMatch(RuncRuntime::isNotFound)) {
      throw new RuntimeFailureException(id, "deleting container", r.exit, r.errors);
    }
  }

  private static boolean isNotFound(String msg) {
    return msg.contains("does not exist") || msg.contains("not found") || msg.contains("no such file");
  }

  private void invoke(String id, String what, List<String> args) throws IOException {
    Result r = call(args);
    if (r.exit != 0) {
      throw new RuntimeFailureException(id, what, r.exit, r.errors);
    }
  }

  private record Result(int exit, byte[] stdout, List<String> errors) {}

  private Result call(List<String> args) throws IOException {
    Path log = newLog();
    try {
      List<String> cmd = base(log);
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      byte[] out = p.getInputStream().readAllBytes();
      int exit = waitUninterruptibly(p);
      return new Result(exit, out, exit == 0 ? List.of() : errorLines(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static int waitUninterruptibly(Process p) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The messages of the last error-level entries in a runc JSON log. */
  static List<String> errorLines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = RecordJson.mapper().readTree(line);
        String level = n.path("level").asText("");
        if (level.equals("error") || level.equals("fatal")) {
          out.add(n.path("msg").asText(line));
        }
      } catch (IOException e) {
        out.add(line.strip());
      }
    }
    return out.size() > LAST_LINES ? List.copyOf(out.subList(out.size() - LAST_LINES, out.size())) : out;
  }

  /**
   * The exit status docker reports when runc could not start the process: 127 when the command
   * was not found, 126 when it exists but cannot be executed; empty for any other runtime error.
   */
  static Optional<Integer> execFailureStatus(List<String> errors) {
    for (String e : errors) {
      int at = e.indexOf("unable to start container process: exec:");
      if (at < 0) {
        at = e.indexOf("exec failed: unable to start container process: exec:");
      }
      if (at < 0) {
        continue;
      }
      String detail = e.substring(at);
      if (detail.contains("executable file not found") || detail.contains("no such file or directory")) {
        return Optional.of(127);
      }
      return Optional.of(126);
    }
    return Optional.empty();
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for the container to start");
    }
  }

  /** A foreground runc run/exec. */
  private static final class RuncProcess implements RuntimeProcess {
    private final String id;
    private final String what;
    private final Process process;
    private final Path log;

    RuncProcess(String id, String what, Process process, Path log) {
      this.id = id;
      this.what = what;
      this.process = process;
      this.log = log;
    }

    @Override
    public int waitFor() throws IOException, InterruptedException {
      int exit = process.waitFor();
      try {
        List<String> errors = errorLines(log);
        if (errors.isEmpty()) {
          return exit;
        }
        Optional<Integer> mapped = execFailureStatus(errors);
        if (mapped.isPresent()) {
          return mapped.get();
        }
        throw new RuntimeFailureException(id, what, exit, errors);
      } finally {
        Files.deleteIfExists(log);
      }
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return process.getErrorStream();
    }

    @Override
    public OutputStream stdin() {
      return process.getOutputStream();
    }
  }
}
