package dev.jbuild.builder.exec;

import dev.jbuild.runtime.net.Attachment;
import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniInvoker;
import dev.jbuild.runtime.net.CniResult;
import dev.jbuild.runtime.net.NetNs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The network namespace every bridged RUN step of one build shares: created, with lo up and its bridge (NAT)
 * attachment, at the first RUN that needs it, and released once at the end of the build (CNI DEL, then
 * the pinned namespace), even after a failure. Per-step network setup would cost more than
 * the step itself.
 */
public final class BuildNetwork implements AutoCloseable {
  private final CniInvoker cni;
  private final NetNs netns;
  private Attachment bridge;
  private final Optional<String> ip;

  private BuildNetwork(CniInvoker cni, NetNs netns, Attachment bridge, Optional<String> ip) {
    this.cni = cni;
    this.netns = netns;
    this.bridge = bridge;
    this.ip = ip;
  }

  /** Creates the namespace {@code <netnsDir>/<name>} (with lo up) and attaches it to the bridge. */
  public static BuildNetwork create(CniInvoker cni, BridgeNetwork network, Path netnsDir, String name)
      throws IOException {
    NetNs ns = NetNs.create(netnsDir, name);
    Attachment br = null;
    try {
      Attachment planned = network.plan(name, ns.path(), List.of());
      try {
        br = BridgeNetwork.attach(cni, planned);
      } catch (IOException | RuntimeException e) {
        // a half-done ADD may have allocated an address or rules: DEL is idempotent
        br = planned;
        throw e;
      }
      return new BuildNetwork(cni, ns, br, CniResult.parse(br.result()).ipv4());
    } catch (IOException | RuntimeException e) {
      new BuildNetwork(cni, ns, br, Optional.empty()).release(e);
      throw e;
    }
  }

  public Path netns() {
    return netns.path();
  }

  /** The namespace's address on the bridge. */
  public Optional<String> ip() {
    return ip;
  }

  private void release(Exception cause) {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    IOException failure = null;
    if (bridge != null) {
      try {
        BridgeNetwork.detach(cni, bridge);
      } catch (IOException e) {
        failure = e;
      }
      bridge = null;
    }
    try {
      netns.close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      throw failure;
    }
  }
}
