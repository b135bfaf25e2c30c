package dev.jbuild.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves host resources behind: it snapshots, before and after each test, the
 * mounts jbuild could have made (overlay and nsfs mounts, anything under /run/jbuild or a {@code
 * jbuild-rt-} temp dir), the pinned netns files, the veth interfaces, runc's containers under
 * /run/jbuild/runc, the CNI iptables chains of the nat table (except portmap's shared CNI-HOSTPORT-*
 * chains, which stay on purpose), jbuild's shared masquerade rule and its reference counts, host-local
 * IP allocations and jbuild's cgroups. Any difference that
 * persists for a few seconds fails the test.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  @Override
  public void beforeEach(ExtensionContext ctx) throws Exception {
    ctx.getStore(NS).put("before", snapshot());
  }

  @Override
  public void afterEach(ExtensionContext ctx) throws Exception {
    @SuppressWarnings("unchecked")
    Set<String> before = (Set<String>) ctx.getStore(NS).get("before");
    Set<String> after = snapshot();
    for (int i = 0; i < 30 && !after.equals(before); i++) {
      Thread.sleep(100);
      after = snapshot();
    }
    if (!after.equals(before)) {
      Set<String> added = new TreeSet<>(after);
      added.removeAll(before);
      Set<String> removed = new TreeSet<>(before);
      removed.removeAll(after);
      throw new AssertionError("leak check: left behind " + added + (removed.isEmpty() ? "" : "; gone " + removed));
    }
  }

  /** Everything that is compared, one line per resource, prefixed by its kind. */
  public static Set<String> snapshot() throws IOException, InterruptedException {
    Set<String> s = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      String mountpoint = f[4];
      String fstype = dash > 0 && dash + 1 < f.length ? f[dash + 1] : "";
      if (fstype.equals("nsfs") || mountpoint.startsWith("/run/jbuild") || mountpoint.contains("/jbuild-rt-")) {
        s.add("mount " + fstype + " " + mountpoint);
      }
    }
    list(s, "netns", Path.of("/run/jbuild/netns"));
    list(s, "ipalloc", Path.of("/run/jbuild/cni/networks/jbuild"));
    s.removeIf(x -> x.startsWith("ipalloc ") && (x.contains("last_reserved_ip") || x.endsWith("/lock")));
    list(s, "masquerade", Path.of("/run/jbuild/cni/masquerade/jbuild"));
    s.removeIf(x -> x.startsWith("masquerade ") && !x.endsWith("/installed"));
    list(s, "masquerade-user", Path.of("/run/jbuild/cni/masquerade/jbuild/users"));
    list(s, "cgroup", Path.of("/sys/fs/cgroup/memory/jbuild"));
    list(s, "cgroup", Path.of("/sys/fs/cgroup/pids/jbuild"));
    for (String l : run("ip", "-br", "link", "show", "type", "veth")) {
      s.add("veth " + l.split("\\s+")[0]);
    }
    for (String l : run("iptables", "-w", "-t", "nat", "-S")) {
      // portmap's shared CNI-HOSTPORT-* chains and their jumps stay; any per-container chain counts.
      if (l.contains("jbuild masquerade")) {
        s.add("iptables " + l);
        continue;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("CNI-[A-Za-z0-9-]+").matcher(l);
      while (m.find()) {
        if (!m.group().startsWith("CNI-HOSTPORT-")) {
          s.add("iptables " + l);
          break;
        }
      }
    }
    if (Files.isDirectory(Path.of("/run/jbuild/runc"))) {
      for (String l : run("runc", "--root", "/run/jbuild/runc", "list", "-q")) {
        s.add("runc " + l);
      }
    }
    return s;
  }

  private static void list(Set<String> s, String kind, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> l = Files.list(dir)) {
      l.filter(p -> !kind.equals("cgroup") || Files.isDirectory(p)).forEach(p -> s.add(kind + " " + p));
    }
  }

  static List<String> run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> out = new ArrayList<>();
    for (String l : new String(p.getInputStream().readAllBytes()).split("\n")) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
