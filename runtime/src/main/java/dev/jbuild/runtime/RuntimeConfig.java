package dev.jbuild.runtime;

import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniInvoker;
import dev.jbuild.runtime.net.DnsFiles;
import dev.jbuild.runtime.net.NetNs;
import dev.jbuild.runtime.oci.OciRuntime;
import dev.jbuild.runtime.oci.RuncRuntime;
import dev.jbuild.runtime.spec.HostLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the {@link Runtime} facade is configured with; passed in, never global, so tests can use
 * a temporary store and their own network.
 *
 * @param storeRoot the jbuild store; containers live in {@code storeRoot/containers}
 * @param netnsDir where network namespaces are pinned
 * @param stopTimeout how long {@code stop} and Ctrl-C wait after the stop signal before SIGKILL
 */
public record RuntimeConfig(Path storeRoot, OciRuntime oci, CniInvoker cni, BridgeNetwork bridge, Path netnsDir,
    HostLimits hostLimits, DnsFiles.HostFiles hostFiles, Duration stopTimeout) {

  /** runc from PATH with state in /run/jbuild/runc, CNI plugins from the environment's search path, the default bridge. */
  public static RuntimeConfig defaults(Path storeRoot, Map<String, String> env) throws IOException {
    return new RuntimeConfig(storeRoot, RuncRuntime.onPath(), new CniInvoker(CniInvoker.defaultPluginDirs(env)),
        BridgeNetwork.defaults(), NetNs.DEFAULT_DIR, HostLimits.read(), DnsFiles.HostFiles.SYSTEM, Duration.ofSeconds(10));
  }

  public RuntimeConfig withOci(OciRuntime o) {
    return new RuntimeConfig(storeRoot, o, cni, bridge, netnsDir, hostLimits, hostFiles, stopTimeout);
  }

  public RuntimeConfig withBridge(BridgeNetwork b) {
    return new RuntimeConfig(storeRoot, oci, cni, b, netnsDir, hostLimits, hostFiles, stopTimeout);
  }

  public RuntimeConfig withStopTimeout(Duration d) {
    return new RuntimeConfig(storeRoot, oci, cni, bridge, netnsDir, hostLimits, hostFiles, d);
  }
}
