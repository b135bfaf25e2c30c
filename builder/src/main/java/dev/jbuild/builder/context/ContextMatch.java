package dev.jbuild.builder.context;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Wildcard matching of COPY/ADD sources against a build context, with Go's {@code filepath.Glob}
 * rules: the pattern is split on {@code /} and each part is a {@link Glob} matched against the
 * names of one directory level ({@code src/*.go}, {@code *.txt}, {@code a/?/b}); there is no
 * {@code **}. Paths hidden by the ignore rules never match.
 */
public final class ContextMatch {
  private final BuildContext context;

  public ContextMatch(BuildContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /**
   * The context paths matching {@code pattern}, sorted; empty when nothing matches (the caller
   * reports that). {@link BadPatternException} for a malformed pattern, {@link
   * ContextEscapeException} for one that climbs out of the context.
   */
  public List<String> glob(String pattern) throws IOException {
    String cleaned = BuildContext.clean(pattern);
    Glob.compile(cleaned);
    List<String> current = List.of(".");
    if (!cleaned.equals(".")) {
      for (String seg : cleaned.split("/")) {
        Glob g = Glob.compile(seg);
        List<String> next = new ArrayList<>();
        for (String dir : current) {
          for (String name : children(dir)) {
            if (g.matches(name)) {
              next.add(dir.equals(".") ? name : dir + "/" + name);
            }
          }
        }
        current = next;
      }
    }
    List<String> out = new ArrayList<>();
    for (String p : current) {
      if (!p.equals(".") && visible(p)) {
        out.add(p);
      }
    }
    out.sort(BuildContext.BYTE_ORDER);
    return out;
  }

  private boolean visible(String p) throws IOException {
    if (!context.isExcluded(p)) {
      return true;
    }
    // An excluded directory still counts when a '!' pattern re-includes something inside it.
    Path host = context.resolve(p, true);
    return Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)
        && context.rules().mayReincludeBeneath(p)
        && !context.walk(context.relativize(host)).isEmpty();
  }

  private List<String> children(String dir) throws IOException {
    Path host = context.resolve(dir, true);
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      return names;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(host)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort(BuildContext.BYTE_ORDER);
    return names;
  }
}
