package dev.jbuild.runtime.container;

import dev.jbuild.runtime.net.BridgeNetwork;
import dev.jbuild.runtime.net.CniInvoker;
import dev.jbuild.runtime.net.NetNs;
import dev.jbuild.runtime.oci.OciRuntime;
import dev.jbuild.runtime.overlay.OverlayMount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of host resources a container holds, kept in its state.json. {@link #record} writes a
 * resource down <em>before</em> the caller acquires it; {@link #close()} releases every recorded
 * resource in reverse order and drops each from the state once it is released, so a crash at any point
 * leaves a ledger that a later {@link Reaper} can finish. Releasing continues past failures; the first
 * is thrown with the rest suppressed, and failed entries stay in the ledger for the next attempt.
 */
public final class ResourceLedger implements AutoCloseable {
  private final ContainerStore store;
  private final ContainerId id;
  private final OciRuntime runtime;
  private final CniInvoker cni;

  public ResourceLedger(ContainerStore store, ContainerId id, OciRuntime runtime, CniInvoker cni) {
    this.store = store;
    this.id = id;
    this.runtime = runtime;
    this.cni = cni;
  }

  /** Writes {@code r} into the state; call it before acquiring the resource. */
  public void record(Resource r) throws IOException {
    store.update(id, s -> s.plusResource(r));
  }

  /**
   * {@code l} with {@code old} replaced by a more complete description of it (a CNI attachment with its
   * result); {@code old} must be there.
   */
  public static List<Resource> replaced(List<Resource> l, Resource old, Resource updated) {
    List<Resource> out = new ArrayList<>(l);
    int i = indexOf(out, old);
    if (i < 0) {
      throw new IllegalStateException("[internal error] replacing a resource not in the ledger: " + old.getClass().getSimpleName());
    }
    out.set(i, updated);
    return out;
  }

  /**
   * Where {@code r} is in {@code l}, compared by the JSON form state.json keeps of each entry: the same
   * as the records' equals for these values, without the invokedynamic bootstrap of a record's
   * generated equals (method-handle classes spun at run time, some ms of a one-shot run).
   */
  static int indexOf(List<Resource> l, Resource r) {
    byte[] want = dev.jbuild.runtime.spec.RecordJson.write(r, false);
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).getClass() == r.getClass()
          && java.util.Arrays.equals(want, dev.jbuild.runtime.spec.RecordJson.write(l.get(i), false))) {
        return i;
      }
    }
    return -1;
  }

  /** Releases everything recorded, newest first. Idempotent. */
  @Override
  public void close() throws IOException {
    release();
  }

  /**
   * Releases everything recorded, newest first, and drops what was released from the state in one write
   * at the end: every release is idempotent, so after a crash halfway the reaper simply does the
   * released ones again. Releasing continues past failures; failed entries stay. Returns the state
   * afterwards (empty when there is none).
   */
  public synchronized java.util.Optional<ContainerState> release() throws IOException {
    ContainerState state = store.read(id).orElse(null);
    if (state == null) {
      return java.util.Optional.empty();
    }
    List<Resource> all = state.resources();
    List<Resource> released = new ArrayList<>();
    Exception first = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      Resource r = all.get(i);
      try {
        release(r);
        released.add(r);
      } catch (IOException | RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    ContainerState after = state;
    if (!released.isEmpty()) {
      after = store.update(id, s -> {
        List<Resource> l = new ArrayList<>(s.resources());
        for (Resource r : released) {
          int at = indexOf(l, r);
          if (at >= 0) {
            l.remove(at);
          }
        }
        return s.withResources(l);
      });
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first != null) {
      throw (RuntimeException) first;
    }
    return java.util.Optional.of(after);
  }

  /**
   * When the owner of a foreground container was killed (kill -9) right after spawning {@code runc run},
   * runc goes on creating the container: a delete before its state exists would find nothing, and the
   * container would appear afterwards. So while that runc still runs, wait (up to 10 s) until the
   * container's state is there; runc's delete then kills the container, and runc run exits with it.
   */
  private static void awaitCreation(Resource.RuncContainer rc) throws java.io.InterruptedIOException {
    java.nio.file.Path state = rc.root().resolve(rc.id()).resolve("state.json");
    Long pid = rc.runtimePid();
    Long start = rc.runtimeStart();
    if (pid == null && !java.nio.file.Files.exists(state)) {
      // killed between spawning runc and writing its pid down: find that runc by its command line
      java.util.OptionalLong found = runtimeRun(rc.id());
      if (found.isEmpty()) {
        return;
      }
      pid = found.getAsLong();
      start = Reaper.startOf(pid);
    }
    if (pid == null) {
      return;
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!java.nio.file.Files.exists(state) && Reaper.isAlive(pid, start)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("waiting for runc to create container " + rc.id());
      }
    }
  }

  /**
   * A live process whose command line is an OCI runtime's {@code ... run --bundle DIR ID} for
   * container {@code id} (how RuncRuntime starts a container), if any.
   */
  static java.util.OptionalLong runtimeRun(String id) {
    try (java.nio.file.DirectoryStream<java.nio.file.Path> procs =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
      for (java.nio.file.Path proc : procs) {
        byte[] cmdline;
        try {
          cmdline = java.nio.file.Files.readAllBytes(proc.resolve("cmdline"));
        } catch (IOException gone) {
          continue;
        }
        List<String> args = List.of(new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        if (args.size() > 3 && args.get(args.size() - 1).equals(id) && args.contains("run") && args.contains("--bundle")) {
          return java.util.OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      // no /proc to read: nothing to wait for
    }
    return java.util.OptionalLong.empty();
  }

  private void release(Resource r) throws IOException {
    switch (r) {
      case Resource.OverlayRootfs o -> OverlayMount.unmount(o.target());
      case Resource.PinnedNetNs n -> NetNs.remove(n.file());
      case Resource.CniAttachment c -> BridgeNetwork.detach(cni, c.attachment());
      case Resource.RuncContainer rc -> {
        awaitCreation(rc);
        runtime.delete(rc.id(), true);
      }
      case Resource.Directory d -> ContainerStore.deleteTree(d.path());
    }
  }
}
