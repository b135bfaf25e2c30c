package dev.jbuild.runtime.container;

import dev.jbuild.runtime.net.CniInvoker;
import dev.jbuild.runtime.oci.OciRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finishes what dead containers left behind: for every container whose owner process (a foreground
 * {@code run}, or the monitor of a detached one) is gone while its ledger still lists resources, it
 * replays the ledger (runc delete, CNI DEL, netns removal, unmount), records the exit status if the
 * monitor left one, and deletes the container if it was started with {@code --rm}.
 */
public final class Reaper {
  private final ContainerStore store;
  private final OciRuntime runtime;
  private final CniInvoker cni;

  public Reaper(ContainerStore store, OciRuntime runtime, CniInvoker cni) {
    this.store = store;
    this.runtime = runtime;
    this.cni = cni;
  }

  /** Reaps every dead container; returns their ids. Failures are collected and thrown at the end. */
  public List<ContainerId> reapDead() throws IOException {
    List<ContainerId> reaped = new ArrayList<>();
    IOException first = null;
    for (ContainerState s : store.list()) {
      if (!needsReaping(s)) {
        continue;
      }
      try {
        reap(s.id());
        reaped.add(s.id());
      } catch (IOException | RuntimeException e) {
        IOException io = e instanceof IOException i ? i : new IOException("reaping container " + s.id().shortId(), e);
        if (first == null) {
          first = io;
        } else {
          first.addSuppressed(io);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return reaped;
  }

  /** True when the container's owner is gone but the container is not yet finished off. */
  public static boolean needsReaping(ContainerState s) {
    boolean unfinished = !s.resources().isEmpty() || !ContainerState.EXITED.equals(s.status());
    return unfinished && !isAlive(s.ownerPid(), s.ownerStart());
  }

  /** Releases the container's resources, records how it ended and honours {@code --rm}. */
  public void reap(ContainerId id) throws IOException {
    new ResourceLedger(store, id, runtime, cni).close();
    Integer exit = exitFileStatus(store, id).orElse(null);
    ContainerState s = store.update(id, st -> ContainerState.EXITED.equals(st.status()) && st.exitCode() != null
        ? st : st.withExit(exit, Instant.now().toString()));
    if (s.autoRemove()) {
      store.delete(id);
    }
  }

  /** The status a detached container's monitor wrote to {@code exit-code}, if any. */
  public static Optional<Integer> exitFileStatus(ContainerStore store, ContainerId id) throws IOException {
    var f = store.dir(id).resolve("exit-code");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String t = Files.readString(f).strip();
    return t.matches("\\d+") ? Optional.of(Integer.parseInt(t)) : Optional.empty();
  }

  /** Whether process {@code pid} still runs and is the one that started at {@code start} (epoch ms). */
  public static boolean isAlive(Long pid, Long start) {
    if (pid == null) {
      return false;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    if (start == null) {
      return true;
    }
    return h.get().info().startInstant().map(i -> i.toEpochMilli() == start).orElse(true);
  }

  /** The start time (epoch ms) of a live process, for {@link #isAlive}. */
  public static Long startOf(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(null);
  }
}
