package dev.jbuild.runtime.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.jbuild.store.JbuildException;
import java.nio.file.Path;

/** A mount requested for a container: a host directory or file ({@code -v}) or a tmpfs ({@code --tmpfs}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Volume.Bind.class, name = "bind"), @JsonSubTypes.Type(value = Volume.Tmpfs.class, name = "tmpfs")})
public sealed interface Volume {
  /** The absolute path inside the container. */
  String destination();

  /** Parses {@code -v HOST:CONTAINER[:ro|rw]}; the host path must be absolute. */
  static Bind parseBind(String s) {
    String[] p = s.split(":");
    if (p.length < 2 || p.length > 3) {
      throw new JbuildException("invalid volume " + s + " (expected HOST:CONTAINER[:ro])");
    }
    boolean ro = false;
    if (p.length == 3) {
      ro = switch (p[2]) {
        case "ro" -> true;
        case "rw" -> false;
        default -> throw new JbuildException("invalid volume option " + p[2] + " in " + s + " (ro or rw)");
      };
    }
    return new Bind(Path.of(p[0]), p[1], ro);
  }

  /** A bind mount of a host path. */
  record Bind(Path source, String destination, boolean readOnly) implements Volume {
    public Bind {
      if (!source.isAbsolute()) {
        throw new JbuildException("volume source must be an absolute path: " + source);
      }
      checkDestination(destination);
    }

    @Override
    public String toString() {
      return source + ":" + destination + (readOnly ? ":ro" : "");
    }
  }

  /** A tmpfs; {@code options} are tmpfs mount options such as {@code size=64m}, may be empty. */
  record Tmpfs(String destination, String options) implements Volume {
    public Tmpfs {
      checkDestination(destination);
      options = options == null ? "" : options;
    }
  }

  private static void checkDestination(String destination) {
    if (destination == null || !destination.startsWith("/")) {
      throw new JbuildException("mount destination must be an absolute path: " + destination);
    }
    if (destination.equals("/")) {
      throw new JbuildException("cannot mount over the container's root");
    }
  }
}
