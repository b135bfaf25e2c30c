package dev.jbuild.builder.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ignore file ({@code .jbuildignore} / {@code .dockerignore}): how it is found for a build and
 * how its text becomes pattern lines, as BuildKit's {@code ignorefile.ReadAll} does.
 *
 * <p>Lookup order, first existing regular file wins, the others are not read: {@code
 * <Buildfile-name>.dockerignore} beside the Buildfile (e.g. {@code app.Buildfile.dockerignore}),
 * then {@code .jbuildignore}, then {@code .dockerignore} in the context root.
 */
public final class IgnoreFile {
  private IgnoreFile() {}

  /** Names tried in the context root, in order, after the Buildfile-specific file. */
  public static final List<String> CONTEXT_FILES = List.of(".jbuildignore", ".dockerignore");

  /**
   * The pattern lines of an ignore file: a UTF-8 BOM dropped; lines starting with {@code #} are
   * comments; lines trimmed and blank ones dropped; after an optional {@code !} (split off and the
   * rest trimmed again) the pattern is cleaned and one leading {@code /} removed. A lone {@code !}
   * is kept: {@link IgnoreRules#of} rejects it.
   */
  public static List<String> read(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#")) {
        continue;
      }
      String p = line.strip();
      if (p.isEmpty()) {
        continue;
      }
      boolean invert = p.charAt(0) == '!';
      if (invert) {
        p = p.substring(1).strip();
      }
      if (!p.isEmpty()) {
        p = PathText.clean(p);
        if (p.length() > 1 && p.charAt(0) == '/') {
          p = p.substring(1);
        }
      }
      out.add(invert ? "!" + p : p);
    }
    return out;
  }

  /** The ignore file that applies to a build of {@code buildfile} in {@code contextDir}, if any. */
  public static Optional<Path> locate(Path contextDir, Optional<Path> buildfile) {
    List<Path> candidates = new ArrayList<>();
    buildfile.ifPresent(b -> {
      Path name = b.getFileName();
      if (name != null) {
        candidates.add(b.resolveSibling(name + ".dockerignore"));
      }
    });
    CONTEXT_FILES.forEach(n -> candidates.add(contextDir.resolve(n)));
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /** The rules for a build: those of {@link #locate}'s file, or none if there is none. */
  public static IgnoreRules load(Path contextDir, Optional<Path> buildfile) throws IOException {
    Optional<Path> f = locate(contextDir, buildfile);
    if (f.isEmpty()) {
      return IgnoreRules.none();
    }
    try {
      return IgnoreRules.of(read(Files.readString(f.get(), StandardCharsets.UTF_8)));
    } catch (BadPatternException e) {
      throw new BadPatternException(f.get() + ": " + e.getMessage(), e);
    }
  }
}
