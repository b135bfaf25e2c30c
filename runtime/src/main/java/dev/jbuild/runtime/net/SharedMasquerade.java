package dev.jbuild.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound NAT of a bridge network: one {@code MASQUERADE} rule in the nat table's POSTROUTING chain
 * for the whole subnet ({@code -s SUBNET ! -o BRIDGE}), shared by every attachment, instead of the bridge
 * plugin's {@code ipMasq} (a chain per container: nine iptables runs on ADD and six on DEL).
 *
 * <p>The rule is reference-counted in {@code stateDir}: {@code users/<id>} per attachment (holding its
 * netns path) and an {@code installed} marker, changed only under {@code stateDir/lock} (a file lock,
 * plus a JVM-wide lock since file locks are per process). The first {@link #acquire} installs the rule,
 * the last {@link #release} removes it. Both are idempotent, so a crashed container's CNI DEL, replayed
 * from its ledger by the reaper, drops its entry and the rule with it once nobody is left. An entry
 * whose netns file is gone (its owner and its ledger lost, e.g. a deleted store) counts as released.
 * The marker is written before the rule is added and deleted after it is removed, so a crash between
 * the two leaves a marker without a rule; the first user after that checks the rule and adds it back.
 *
 * @param network the network name (in the rule's comment)
 * @param subnet the IPv4 subnet whose traffic is masqueraded
 * @param bridge the bridge: traffic that leaves through it again (container to container) is not NATed
 * @param stateDir the reference counts
 */
public record SharedMasquerade(String network, String subnet, String bridge, Path stateDir) {
  /** The conflist's key that says jbuild masquerades this network itself. */
  static final String KEY = "jbuildMasquerade";
  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  /** The comment that marks jbuild's rule for {@code network} (leak checks look for it). */
  public static String comment(String network) {
    return "jbuild masquerade " + network;
  }

  /** The iptables arguments of the rule, after {@code -A}, {@code -C} or {@code -D}. */
  List<String> rule() {
    return List.of("POSTROUTING", "-s", subnet, "!", "-o", bridge, "-m", "comment", "--comment", comment(network),
        "-j", "MASQUERADE");
  }

  void writeTo(ObjectNode conflist) {
    ObjectNode m = conflist.putObject(KEY);
    m.put("network", network);
    m.put("subnet", subnet);
    m.put("bridge", bridge);
    m.put("stateDir", stateDir.toString());
  }

  /** The shared rule a configuration list asks for, if any (lists made before it existed have none). */
  static Optional<SharedMasquerade> of(JsonNode conflist) {
    JsonNode m = conflist.path(KEY);
    if (!m.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new SharedMasquerade(m.path("network").asText(), m.path("subnet").asText(),
        m.path("bridge").asText(), Path.of(m.path("stateDir").asText())));
  }

  /** Counts {@code id} (whose namespace is {@code netns}) as a user; installs the rule for the first one. */
  public void acquire(String id, Path netns) throws IOException {
    locked(() -> {
      Path users = Files.createDirectories(stateDir.resolve("users"));
      boolean alone = liveUsers(users, id).isEmpty();
      Path entry = users.resolve(entryName(id));
      Files.writeString(entry, netns.toString());
      Path marker = stateDir.resolve("installed");
      try {
        if (!Files.exists(marker)) {
          Files.writeString(marker, "");
          iptablesStatus("-A");
        } else if (alone && !present()) {
          iptablesStatus("-A"); // the marker outlived the rule (a crash while removing it)
        }
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(entry);
        if (alone) {
          Files.deleteIfExists(marker);
        }
        throw e;
      }
    });
  }

  /** Drops {@code id}; removes the rule when no user is left. Idempotent. */
  public void release(String id) throws IOException {
    locked(() -> {
      Path users = stateDir.resolve("users");
      Files.deleteIfExists(users.resolve(entryName(id)));
      Path marker = stateDir.resolve("installed");
      if (Files.exists(marker) && (!Files.isDirectory(users) || liveUsers(users, null).isEmpty())) {
        if (iptablesStatus("-D") != 0 && present()) {
          throw new IOException("could not remove the masquerade rule of network " + network);
        }
        Files.delete(marker);
      }
    });
  }

  /** Whether the rule is in the nat table now. */
  boolean present() throws IOException {
    return iptablesStatus("-C") == 0;
  }

  /** The entries of users other than {@code except}; those whose namespace file is gone are deleted. */
  private static List<Path> liveUsers(Path users, String except) throws IOException {
    List<Path> live = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(users)) {
      for (Path e : ds) {
        if (except != null && e.getFileName().toString().equals(entryName(except))) {
          continue;
        }
        String ns;
        try {
          ns = Files.readString(e, StandardCharsets.UTF_8).strip();
        } catch (java.nio.file.NoSuchFileException gone) {
          continue;
        }
        if (!ns.isEmpty() && Files.exists(Path.of(ns))) {
          live.add(e);
        } else {
          Files.deleteIfExists(e);
        }
      }
    }
    return live;
  }

  /** A file name for {@code id}: ids are container ids and build namespace names, kept as they are if safe. */
  private static String entryName(String id) {
    return id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}") ? id : Integer.toHexString(id.hashCode()) + ".id";
  }

  private interface Body {
    void run() throws IOException;
  }

  private void locked(Body body) throws IOException {
    Files.createDirectories(stateDir);
    JVM_LOCK.lock();
    try (FileChannel ch = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.lock()) {
      body.run();
    } finally {
      JVM_LOCK.unlock();
    }
  }

  /**
   * Runs {@code iptables -w -t nat OP <rule>}; returns its exit status, which is 0, or 1 for a rule that
   * is not there ({@code -C}, {@code -D}). Any other failure throws.
   */
  private int iptablesStatus(String op) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", op));
    cmd.addAll(rule());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      int rc = p.waitFor();
      if (rc > 1 || (rc == 1 && op.equals("-A"))) {
        throw new IOException("masquerade rule of network " + network + ": " + String.join(" ", cmd)
            + ": exit status " + rc + ": " + new String(out, StandardCharsets.UTF_8).strip());
      }
      return rc;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted running iptables");
    }
  }
}
