package dev.jbuild.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared masquerade rule's reference counting against the real nat table, on a network no container
 * uses (its own subnet, bridge name and state dir), including the states a crash can leave; and the
 * in-process pinned namespace.
 */
@RequiresRoot
@RequiresTools({"iptables", "ip", "nsenter"})
@ExtendWith(LeakCheck.class)
class SharedMasqueradeIT {
  private Path tmp;
  private SharedMasquerade masq;
  private final List<NetNs> namespaces = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    tmp = Files.createTempDirectory("jbuild-masq-it");
    masq = new SharedMasquerade("jbmasqit", "10.219.251.0/24", "jbmasqit0", tmp.resolve("state"));
  }

  @AfterEach
  void tearDown() throws IOException, InterruptedException {
    for (NetNs n : namespaces) {
      n.close();
    }
    while (rules() > 0) {
      iptables("-D");
    }
    ContainerStore.deleteTree(tmp);
  }

  private Path netns(String name) throws IOException {
    NetNs n = NetNs.create(tmp.resolve("netns"), name);
    namespaces.add(n);
    return n.path();
  }

  /** How many copies of the rule the nat table holds. */
  private long rules() throws IOException, InterruptedException {
    return run("iptables", "-w", "-t", "nat", "-S", "POSTROUTING").lines()
        .filter(l -> l.contains(SharedMasquerade.comment("jbmasqit"))).count();
  }

  private void iptables(String op) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", op));
    cmd.addAll(masq.rule());
    run(cmd.toArray(String[]::new));
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Test
  void theFirstUserInstallsTheRuleAndTheLastRemovesIt() throws Exception {
    Path a = netns("a");
    Path b = netns("b");
    masq.acquire("a", a);
    assertEquals(1, rules());
    masq.acquire("b", b);
    assertEquals(1, rules(), "one rule for the whole subnet");
    assertTrue(run("iptables", "-w", "-t", "nat", "-S", "POSTROUTING").contains(
        "-s 10.219.251.0/24 ! -o jbmasqit0 -m comment --comment \"jbuild masquerade jbmasqit\" -j MASQUERADE"));
    masq.release("a");
    assertEquals(1, rules(), "b still uses it");
    masq.release("a");
    assertEquals(1, rules(), "a second release of the same user changes nothing");
    masq.release("b");
    assertEquals(0, rules());
    assertFalse(Files.exists(tmp.resolve("state/installed")));
    masq.release("b");
    assertEquals(0, rules(), "release is idempotent");
    masq.acquire("a", a);
    assertEquals(1, rules(), "and the next first user installs it again");
    masq.release("a");
    assertEquals(0, rules());
  }

  @Test
  void aUserWhoseNamespaceIsGoneNoLongerHoldsTheRule() throws Exception {
    masq.acquire("a", netns("a"));
    masq.acquire("lost", netns("lost"));
    namespaces.remove(1).close(); // its owner and ledger are gone, and so is its namespace
    masq.release("a");
    assertEquals(0, rules());
    assertEquals(List.of(), List.of(tmp.resolve("state/users").toFile().list()));
  }

  @Test
  void aMarkerWithoutItsRuleAfterACrashIsRepaired() throws Exception {
    // a crash between removing the rule and deleting the marker
    Files.createDirectories(tmp.resolve("state"));
    Files.writeString(tmp.resolve("state/installed"), "");
    masq.acquire("a", netns("a"));
    assertEquals(1, rules(), "the first user after the crash adds the rule back");
    masq.release("a");
    assertEquals(0, rules());
    // a crash between writing the marker and adding the rule: the release tolerates the missing rule
    Files.writeString(tmp.resolve("state/installed"), "");
    masq.release("a");
    assertFalse(Files.exists(tmp.resolve("state/installed")));
  }

  @Test
  void concurrentUsersKeepOneRuleAndLeaveNone() throws Exception {
    int n = 6;
    List<Path> ns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ns.add(netns("c" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int k = i;
          fs.add(pool.submit(() -> {
            masq.acquire("c" + k, ns.get(k));
            assertEquals(1, rules());
            masq.release("c" + k);
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        assertEquals(0, rules(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPinnedNamespaceHasLoopbackUpAndOnlyThat() throws Exception {
    Path self = Path.of("/proc/thread-self/ns/net");
    Object host = Files.getAttribute(self, "unix:ino");
    Path a = netns("lo-test");
    assertEquals(host, Files.getAttribute(self, "unix:ino"), "the calling thread stays in the host's namespace");
    assertFalse(host.equals(Files.getAttribute(a, "unix:ino")), "the pinned one is a new namespace");
    assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + a + " "), "pinned by a mount");
    String links = run("nsenter", "--net=" + a, "ip", "-o", "link");
    assertEquals(1, links.lines().count(), links);
    assertTrue(links.contains("lo: <LOOPBACK,UP,LOWER_UP>"), links);
    assertTrue(run("nsenter", "--net=" + a, "ip", "-o", "-4", "addr").contains("inet 127.0.0.1/8"));
    namespaces.remove(0).close();
    assertFalse(Files.exists(a));
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + a + " "));
  }
}
