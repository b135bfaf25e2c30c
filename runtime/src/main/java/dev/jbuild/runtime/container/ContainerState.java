package dev.jbuild.runtime.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.spec.ContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's {@code state.json}: what was asked for, where it stands, and the ledger of the host
 * resources it holds (in acquisition order).
 *
 * @param status {@code created} (being set up), {@code running} or {@code exited}
 * @param ownerPid the process that holds the resources (a foreground {@code run}), with its start time
 *     to tell a reused pid apart; null for a detached container, whose {@code monitorPid} runs it
 * @param created when it was created (ISO-8601 UTC), {@code finished} when it exited
 * @param exitCode the container's exit status once {@code exited} (null if unknown)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerState(
    ContainerId id,
    String name,
    String created,
    ContainerSpec spec,
    List<Path> lowers,
    String network,
    String status,
    Long ownerPid,
    Long ownerStart,
    Long monitorPid,
    boolean detached,
    boolean autoRemove,
    Integer exitCode,
    String finished,
    String ip,
    List<PortMapping> ports,
    List<Resource> resources) {

  public static final String CREATED = "created";
  public static final String RUNNING = "running";
  public static final String EXITED = "exited";

  public ContainerState {
    lowers = lowers == null ? List.of() : List.copyOf(lowers);
    ports = ports == null ? List.of() : List.copyOf(ports);
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  public ContainerState withStatus(String s) {
    return new ContainerState(id, name, created, spec, lowers, network, s, ownerPid, ownerStart, monitorPid, detached,
        autoRemove, exitCode, finished, ip, ports, resources);
  }

  public ContainerState withExit(Integer code, String at) {
    return new ContainerState(id, name, created, spec, lowers, network, EXITED, ownerPid, ownerStart, monitorPid,
        detached, autoRemove, code, at, ip, ports, resources);
  }

  public ContainerState withIp(String i) {
    return new ContainerState(id, name, created, spec, lowers, network, status, ownerPid, ownerStart, monitorPid,
        detached, autoRemove, exitCode, finished, i, ports, resources);
  }

  public ContainerState withMonitor(Long pid) {
    return new ContainerState(id, name, created, spec, lowers, network, status, ownerPid, ownerStart, pid, detached,
        autoRemove, exitCode, finished, ip, ports, resources);
  }

  public ContainerState withOwner(Long pid, Long start) {
    return new ContainerState(id, name, created, spec, lowers, network, status, pid, start, monitorPid, detached,
        autoRemove, exitCode, finished, ip, ports, resources);
  }

  /** The state with what the completed request asks for: its spec and rootfs layers. */
  public ContainerState withRequest(ContainerSpec s, List<Path> l) {
    return new ContainerState(id, name, created, s, l, network, status, ownerPid, ownerStart, monitorPid, detached,
        autoRemove, exitCode, finished, ip, ports, resources);
  }

  public ContainerState withResources(List<Resource> r) {
    return new ContainerState(id, name, created, spec, lowers, network, status, ownerPid, ownerStart, monitorPid,
        detached, autoRemove, exitCode, finished, ip, ports, r);
  }

  /** The state with the runc container {@code id} marked as run by process {@code pid} (started at {@code start}). */
  public ContainerState withRuntimeProcess(String id, long pid, Long start) {
    List<Resource> l = new java.util.ArrayList<>();
    for (Resource r : resources) {
      l.add(r instanceof Resource.RuncContainer rc && rc.id().equals(id)
          ? new Resource.RuncContainer(rc.id(), rc.root(), pid, start) : r);
    }
    return withResources(l);
  }

  public ContainerState plusResource(Resource r) {
    List<Resource> l = new ArrayList<>(resources);
    l.add(r);
    return withResources(l);
  }
}
