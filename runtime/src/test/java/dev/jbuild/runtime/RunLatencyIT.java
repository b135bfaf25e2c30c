package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.runtime.container.ContainerStore;
import dev.jbuild.runtime.oci.Stdio;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.NetworkMode;
import dev.jbuild.runtime.testing.BusyboxRootfs;
import dev.jbuild.runtime.testing.LeakCheck;
import dev.jbuild.store.testing.RequiresRoot;
import dev.jbuild.store.testing.RequiresTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures an in-process {@code run --rm /bin/true} for --network none and bridge and prints the
 * median of each phase, so it is visible where the time goes (not a pass/fail benchmark).
 */
@RequiresRoot
@RequiresTools({"runc", "bridge", "portmap", "host-local"})
@ExtendWith(LeakCheck.class)
@Tag("slow")
class RunLatencyIT {
  private static final int RUNS = 15;

  @Test
  void medianPhases() throws Exception {
    Path tmp = BusyboxRootfs.tempDir();
    try {
      Path busybox = BusyboxRootfs.create(tmp);
      for (NetworkMode mode : List.of(NetworkMode.NONE, NetworkMode.BRIDGE)) {
        Map<String, List<Long>> phases = new ConcurrentHashMap<>();
        Runtime rt = new Runtime(RuntimeConfig.defaults(tmp.resolve("store"), Map.of()),
            (phase, nanos) -> phases.computeIfAbsent(phase, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(nanos));
        List<Long> totals = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
          long t0 = System.nanoTime();
          int exit = rt.run(RunRequest.of(List.of(busybox), ContainerSpec.of("/bin/true").withNetwork(mode))
              .withStdio(new Stdio.Files(Path.of("/dev/null"), Path.of("/dev/null"))));
          long t = System.nanoTime() - t0;
          assertEquals(0, exit);
          if (i >= 2) { // the first runs warm up the JIT and the CNI bridge
            totals.add(t);
          } else {
            phases.clear();
          }
        }
        Map<String, String> report = new TreeMap<>();
        phases.forEach((k, v) -> report.put(k, ms(median(v))));
        System.out.println("run /bin/true --network " + mode + ": median total " + ms(median(totals)) + " ms; phases (ms) " + report);
      }
    } finally {
      ContainerStore.deleteTree(tmp);
    }
  }

  private static long median(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }
}
