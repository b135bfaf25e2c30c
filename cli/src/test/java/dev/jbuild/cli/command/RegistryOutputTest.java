package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BaseImageSource.Policy;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.ref.ImageRef;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryOutputTest {
  @Test
  void registryPushesWithoutATagAndImageTagsAndPushesOnRequest() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5000/a/b:1");
    assertEquals(Optional.of(new RegistryOutput(ref, false, true)), RegistryOutput.parse("type=registry,name=127.0.0.1:5000/a/b:1"));
    assertEquals(Optional.of(new RegistryOutput(ref, true, true)),
        RegistryOutput.parse("type=image, name=127.0.0.1:5000/a/b:1, push=true"));
    assertEquals(Optional.of(new RegistryOutput(ref, true, false)), RegistryOutput.parse("type=image,name=127.0.0.1:5000/a/b:1"));
    assertEquals(Optional.empty(), RegistryOutput.parse("type=oci,dest=/tmp/x"));
    assertEquals(Optional.empty(), RegistryOutput.parse("garbage"));
  }

  @Test
  void badRegistryOutputsSayWhatIsWrong() {
    for (String[] c : new String[][] {
        {"type=registry", "name= is required for type=registry"},
        {"type=registry,name=a/b:1,dest=/x", "unknown key \"dest\""},
        {"type=image,name=a/b:1,push=yes", "push= wants true or false"},
        {"type=registry,name=a/b@sha256:" + "0".repeat(64), "name must be a tag"},
        {"type=registry,name=a//b", "invalid --output"}}) {
      JbuildException e = assertThrows(JbuildException.class, () -> RegistryOutput.parse(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[0]), e.getMessage());
    }
  }

  @Test
  void pullPolicies() {
    assertEquals(Policy.ALWAYS, Policy.parse("always"));
    assertEquals(Policy.ALWAYS, Policy.parse("true"));
    assertEquals(Policy.MISSING, Policy.parse("missing"));
    assertEquals(Policy.NEVER, Policy.parse("false"));
    assertEquals(Policy.NEVER, Policy.parse("Never"));
    assertEquals(Policy.NEWER, Policy.parse("newer"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policy.parse("sometimes"));
    assertTrue(e.getMessage().contains("invalid --pull \"sometimes\""), e.getMessage());
  }
}
