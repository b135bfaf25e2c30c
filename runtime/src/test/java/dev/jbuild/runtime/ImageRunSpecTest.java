package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.runtime.spec.ContainerSpec;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.oci.ContainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageRunSpecTest {
  private static final ContainerConfig IMAGE = ContainerConfig.EMPTY
      .withEntrypoint(List.of("/docker-entrypoint.sh"))
      .withCmd(List.of("nginx", "-g", "daemon off;"))
      .withEnv("PATH", "/usr/bin:/bin").withEnv("LANG", "C")
      .withWorkingDir("/srv").withUser("www").withStopSignal("SIGQUIT")
      .withVolumes(Set.of("/data", "/cache/"));
  private static final ContainerSpec BASE = ContainerSpec.of("placeholder");

  @Test
  void imageDefaultsWithoutOverrides() {
    ContainerSpec s = ImageRunSpec.of(List.of()).applyTo(IMAGE, BASE);
    assertEquals(List.of("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"), s.args());
    assertEquals(List.of("PATH=/usr/bin:/bin", "LANG=C"), s.env());
    assertEquals("/srv", s.workdir());
    assertEquals("www", s.user());
    assertEquals("SIGQUIT", s.stopSignal());
    assertEquals(List.of(new Volume.Anonymous("/cache"), new Volume.Anonymous("/data")), s.volumes());
  }

  @Test
  void argumentsReplaceCmdButKeepEntrypoint() {
    assertEquals(List.of("/docker-entrypoint.sh", "sh"), ImageRunSpec.of(List.of("sh")).args(IMAGE));
  }

  @Test
  void entrypointFlagDropsImageCmd() {
    assertEquals(List.of("/bin/sh"), new ImageRunSpec("/bin/sh", List.of(), null, null, null).args(IMAGE));
    assertEquals(List.of("/bin/sh", "-c", "id"), new ImageRunSpec("/bin/sh", List.of("-c", "id"), null, null, null).args(IMAGE));
  }

  @Test
  void emptyEntrypointResetsIt() {
    assertEquals(List.of("ls"), new ImageRunSpec("", List.of("ls"), null, null, null).args(IMAGE));
    assertThrows(JbuildException.class, () -> new ImageRunSpec("", List.of(), null, null, null).args(IMAGE));
  }

  @Test
  void noCommandAtAllIsAnError() {
    JbuildException e = assertThrows(JbuildException.class, () -> ImageRunSpec.of(List.of()).args(ContainerConfig.EMPTY));
    assertEquals(true, e.getMessage().contains("no command specified"));
  }

  @Test
  void envFlagsReplaceInPlaceAndAppend() {
    ImageRunSpec r = new ImageRunSpec(null, List.of(), List.of("LANG=C.UTF-8", "A=1", "PATH=/x"), null, null);
    assertEquals(List.of("PATH=/x", "LANG=C.UTF-8", "A=1"), r.environment(IMAGE));
    assertThrows(JbuildException.class, () -> new ImageRunSpec(null, List.of(), List.of("=1"), null, null));
  }

  @Test
  void flagsOverrideWorkdirAndUser() {
    ContainerSpec s = new ImageRunSpec(null, List.of(), List.of(), "/tmp", "nobody:nogroup").applyTo(IMAGE, BASE);
    assertEquals("/tmp", s.workdir());
    assertEquals("nobody:nogroup", s.user());
  }

  @Test
  void explicitMountsCoverImageVolumes() {
    ContainerSpec base = BASE.withVolumes(List.of(new Volume.Bind(Path.of("/host"), "/data", true),
        new Volume.Tmpfs("/cache", "")));
    ContainerSpec s = ImageRunSpec.of(List.of()).applyTo(IMAGE, base);
    assertEquals(base.volumes(), s.volumes());
  }

  @Test
  void imageWithoutSettingsRunsInRoot() {
    ContainerSpec s = ImageRunSpec.of(List.of("true")).applyTo(ContainerConfig.EMPTY, BASE);
    assertEquals("/", s.workdir());
    assertEquals("", s.user());
    assertEquals(null, s.stopSignal());
    assertEquals(List.of(), s.env());
  }
}
