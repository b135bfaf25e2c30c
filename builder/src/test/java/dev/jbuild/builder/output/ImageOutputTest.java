package dev.jbuild.builder.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.JbuildException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageOutputTest {
  @Test
  void parsesOutputSpecs() {
    Path cwd = Path.of("/work");
    ImageOutput.Spec dir = ImageOutput.Spec.parse("type=oci,dest=out/", cwd);
    assertEquals(ImageOutput.Type.OCI, dir.type());
    assertEquals(Path.of("/work/out"), dir.dest());
    assertTrue(dir.directory());
    ImageOutput.Spec tar = ImageOutput.Spec.parse("type=docker,dest=/tmp/img.tar", cwd);
    assertEquals(ImageOutput.Type.DOCKER, tar.type());
    assertFalse(tar.directory());
    assertEquals(ImageOutput.Type.TAR, ImageOutput.Spec.parse("dest=r.tar,type=tar", cwd).type());
    assertThrows(JbuildException.class, () -> ImageOutput.Spec.parse("type=zip,dest=x", cwd));
    assertThrows(JbuildException.class, () -> ImageOutput.Spec.parse("type=oci", cwd));
    assertThrows(JbuildException.class, () -> ImageOutput.Spec.parse("oci", cwd));
  }
}
