package dev.jbuild.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * jbuild's default network: a Linux bridge ({@code jbuild0}) with the host as gateway, addresses from
 * CNI host-local IPAM, outbound NAT and published ports through the portmap plugin.
 *
 * <p>The NAT is one masquerade rule for the whole subnet that jbuild shares between all attachments
 * ({@link SharedMasquerade}, installed with the first and removed with the last), not the bridge plugin's
 * {@code ipMasq}, whose per-container chains cost fifteen iptables runs per container.
 *
 * <p>The default subnet 10.218.0.0/24 avoids docker's 172.17.0.0/16 (and its 172.18+ / 192.168 pools),
 * podman's 10.88.0.0/16 and its 10.89.x.0/24 networks, and Kubernetes' 10.96.0.0/12 service range.
 * IP allocations live under {@code dataDir} (on /run, so they vanish with the containers at reboot).
 *
 * @param name the CNI network name (also host-local's allocation directory name)
 */
public record BridgeNetwork(String name, String bridge, String subnet, String gateway, Path dataDir) implements Network {
  public static final String DEFAULT_SUBNET = "10.218.0.0/24";
  public static final Path DEFAULT_DATA_DIR = Path.of("/run/jbuild/cni/networks");

  /** The interface name of the container's end of the veth pair. */
  public static final String IFNAME = "eth0";

  public BridgeNetwork {
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new JbuildException("invalid network name " + name);
    }
    if (bridge.length() > 15 || bridge.isEmpty()) {
      throw new JbuildException("invalid bridge name " + bridge + " (1-15 characters)");
    }
    if (!subnet.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
      throw new JbuildException("invalid IPv4 subnet " + subnet);
    }
  }

  /** The default network on {@code subnet}, gateway = the subnet's first address. */
  public static BridgeNetwork onSubnet(String subnet) {
    String base = subnet.substring(0, subnet.indexOf('/'));
    String[] o = base.split("\\.");
    String gw = o[0] + "." + o[1] + "." + o[2] + "." + (Integer.parseInt(o[3]) + 1);
    return new BridgeNetwork("jbuild", "jbuild0", subnet, gw, DEFAULT_DATA_DIR);
  }

  public static BridgeNetwork defaults() {
    return onSubnet(DEFAULT_SUBNET);
  }

  /** The CNI configuration list: bridge (with host-local IPAM) chained with portmap. */
  public String conflist() {
    return conflist(true);
  }

  /**
   * The configuration list, with portmap only if {@code withPortmap}: a container without published
   * ports skips portmap's iptables work on ADD and DEL.
   */
  public String conflist(boolean withPortmap) {
    ObjectNode list = JsonTrees.object();
    list.put("cniVersion", "1.0.0");
    list.put("name", name);
    ArrayNode plugins = list.putArray("plugins");
    ObjectNode br = plugins.addObject();
    br.put("type", "bridge");
    br.put("bridge", bridge);
    br.put("isGateway", true);
    br.put("ipMasq", false);
    br.put("hairpinMode", true);
    ObjectNode ipam = br.putObject("ipam");
    ipam.put("type", "host-local");
    ObjectNode range = ipam.putArray("ranges").addArray().addObject();
    range.put("subnet", subnet);
    range.put("gateway", gateway);
    ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    ipam.put("dataDir", dataDir.toString());
    if (withPortmap) {
      ObjectNode pm = plugins.addObject();
      pm.put("type", "portmap");
      pm.putObject("capabilities").put("portMappings", true);
    }
    masquerade().writeTo(list);
    return JsonTrees.string(list);
  }

  /** The network's outbound NAT; its reference counts live next to host-local's allocations. */
  public SharedMasquerade masquerade() {
    return new SharedMasquerade(name, subnet, bridge, dataDir.resolveSibling("masquerade").resolve(name));
  }

  /** The runtimeConfig carrying the port mappings for portmap. */
  public static String runtimeConfig(List<PortMapping> ports) {
    ObjectNode rc = JsonTrees.object();
    if (!ports.isEmpty()) {
      ArrayNode pm = rc.putArray("portMappings");
      for (PortMapping p : ports) {
        ObjectNode m = pm.addObject();
        m.put("hostPort", p.hostPort());
        m.put("containerPort", p.containerPort());
        m.put("protocol", p.protocol());
        if (!p.hostIp().isEmpty()) {
          m.put("hostIP", p.hostIp());
        }
      }
    }
    return JsonTrees.string(rc);
  }

  /** The attachment ADD will make, before ADD runs (so the ledger can record it first). */
  public Attachment plan(String containerId, Path netns, List<PortMapping> ports) {
    return new Attachment(containerId, netns, IFNAME, conflist(!ports.isEmpty()), runtimeConfig(ports), "{}");
  }

  /**
   * Runs CNI ADD for a planned attachment; returns it with the result. The shared masquerade rule is
   * acquired meanwhile on another thread (the two are independent and both mostly wait for processes).
   * After a failure the caller detaches, which undoes whatever part was done.
   */
  public static Attachment attach(CniInvoker cni, Attachment planned) throws IOException {
    JsonNode rc = JsonTrees.read(planned.runtimeConfig(), "CNI runtime config");
    Optional<SharedMasquerade> masq = SharedMasquerade.of(JsonTrees.read(planned.conflist(), "CNI network configuration"));
    Background nat = Background.start(masq.isEmpty() ? null : () -> masq.get().acquire(planned.containerId(),
        planned.netns()));
    String result;
    try {
      result = cni.add(planned.conflist(), planned.containerId(), planned.netns(), planned.ifname(), rc);
    } catch (IOException | RuntimeException e) {
      nat.joinInto(e);
      throw e;
    }
    nat.join();
    return planned.withResult(result);
  }

  /**
   * Runs CNI DEL for an attachment (also for one whose ADD failed halfway: DEL must be idempotent) and, in
   * parallel, drops its use of the shared masquerade rule.
   */
  public static void detach(CniInvoker cni, Attachment a) throws IOException {
    JsonNode rc = JsonTrees.read(a.runtimeConfig(), "CNI runtime config");
    String cached = a.result() == null || a.result().equals("{}") ? null : a.result();
    Optional<SharedMasquerade> masq = SharedMasquerade.of(JsonTrees.read(a.conflist(), "CNI network configuration"));
    Background nat = Background.start(masq.isEmpty() ? null : () -> masq.get().release(a.containerId()));
    try {
      cni.del(a.conflist(), a.containerId(), a.netns(), a.ifname(), rc, cached);
    } catch (IOException | RuntimeException e) {
      nat.joinInto(e);
      throw e;
    }
    nat.join();
  }

  /** A step run on its own thread; {@code null} is a step with nothing to do. */
  private static final class Background {
    interface Step {
      void run() throws IOException;
    }

    private final Thread thread;
    private volatile Throwable failure;

    private Background(Step step) {
      thread = step == null ? null : Thread.ofPlatform().name("jbuild-cni-nat").daemon().start(() -> {
        try {
          step.run();
        } catch (Throwable t) {
          failure = t;
        }
      });
    }

    static Background start(Step step) {
      return new Background(step);
    }

    /** Waits for the step (even when interrupted: its outcome decides what is held); rethrows its failure. */
    void join() throws IOException {
      awaitEnd();
      switch (failure) {
        case null -> { }
        case IOException e -> throw e;
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        default -> throw new IOException(failure);
      }
    }

    /** Waits for the step and attaches its failure, if any, to {@code primary}. */
    void joinInto(Exception primary) {
      awaitEnd();
      if (failure != null) {
        primary.addSuppressed(failure);
      }
    }

    private void awaitEnd() {
      if (thread == null) {
        return;
      }
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
