package dev.jbuild.cli.command;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbuild.runtime.spec.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which image a container was started from ({@code image.json} in its directory): the name the user
 * gave, the manifest digest and the image id. {@code ps} shows it and {@code commit} builds on it.
 * Written while the container starts, so through the runtime's {@link RecordJson} rather than a
 * data-binding mapper, whose first use would cost a {@code jbuild run} ~70 ms of CPU next to runc's.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ContainerImage(String name, String manifest, String id) {
  static final String FILE = "image.json";

  void writeTo(Path containerDir) throws IOException {
    Path tmp = containerDir.resolve(FILE + ".tmp");
    Files.write(tmp, RecordJson.write(this, true));
    Files.move(tmp, containerDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Optional<ContainerImage> read(Path containerDir) throws IOException {
    try {
      return Optional.of(RecordJson.read(Files.readAllBytes(containerDir.resolve(FILE)), ContainerImage.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
