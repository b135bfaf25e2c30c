package dev.jbuild.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.runtime.ContainerInfo;
import dev.jbuild.runtime.container.ContainerState;
import dev.jbuild.runtime.net.PortMapping;
import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Volume;
import java.io.IOException;

/** A container as {@code inspect} shows it, with docker's field names where they exist. */
final class ContainerInspect {
  private ContainerInspect() {}

  static void add(ObjectNode o, ContainerInfo info) throws IOException {
    ContainerState s = info.state();
    o.put("Id", s.id().hex());
    o.put("Name", s.name());
    o.put("Created", s.created());
    ContainerImage.read(info.dir()).ifPresent(i -> {
      o.put("Image", i.id());
      o.put("ImageName", i.name());
    });
    ObjectNode st = o.putObject("State");
    boolean running = info.pid().isPresent();
    st.put("Status", running ? ContainerState.RUNNING : s.status());
    st.put("Running", running);
    st.put("Pid", info.pid().orElse(0L));
    if (s.exitCode() != null) {
      st.put("ExitCode", s.exitCode());
    }
    st.put("FinishedAt", s.finished());
    ContainerSpec spec = s.spec();
    if (spec != null) {
      ObjectNode cfg = o.putObject("Config");
      cfg.put("Hostname", spec.hostname() != null ? spec.hostname() : s.id().shortId());
      cfg.put("User", spec.user());
      cfg.put("WorkingDir", spec.workdir());
      cfg.put("Tty", spec.terminal());
      cfg.set("Cmd", Json.PRETTY.valueToTree(spec.args()));
      cfg.set("Env", Json.PRETTY.valueToTree(spec.env()));
      cfg.put("StopSignal", spec.effectiveStopSignal());
      ObjectNode host = o.putObject("HostConfig");
      host.put("NetworkMode", spec.network().toString());
      host.put("AutoRemove", s.autoRemove());
      host.put("ReadonlyRootfs", spec.security().readOnlyRootfs());
      host.put("Privileged", spec.security().privileged());
      if (spec.limits().memoryBytes() != null) {
        host.put("Memory", spec.limits().memoryBytes());
      }
      if (spec.limits().cpus() != null) {
        host.put("NanoCpus", (long) (spec.limits().cpus() * 1e9));
      }
      if (spec.limits().pidsLimit() != null) {
        host.put("PidsLimit", spec.limits().pidsLimit());
      }
      ArrayNode mounts = o.putArray("Mounts");
      for (Volume v : spec.volumes()) {
        ObjectNode m = mounts.addObject();
        switch (v) {
          case Volume.Bind b -> {
            m.put("Type", "bind");
            m.put("Source", b.source().toString());
            m.put("Destination", b.destination());
            m.put("RW", !b.readOnly());
          }
          case Volume.Tmpfs t -> {
            m.put("Type", "tmpfs");
            m.put("Destination", t.destination());
            m.put("RW", true);
          }
          case Volume.Anonymous a -> {
            m.put("Type", "volume");
            m.put("Destination", a.destination());
            m.put("RW", true);
          }
        }
      }
    }
    ObjectNode net = o.putObject("NetworkSettings");
    net.put("IPAddress", s.ip() == null ? "" : s.ip());
    ObjectNode ports = net.putObject("Ports");
    for (PortMapping p : s.ports()) {
      ArrayNode binds = (ArrayNode) (ports.has(p.containerPort() + "/" + p.protocol())
          ? ports.get(p.containerPort() + "/" + p.protocol()) : ports.putArray(p.containerPort() + "/" + p.protocol()));
      ObjectNode b = binds.addObject();
      b.put("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
      b.put("HostPort", Integer.toString(p.hostPort()));
    }
    o.put("Path", info.dir().toString());
    o.put("LogPath", info.stdoutLog().toString());
  }
}
