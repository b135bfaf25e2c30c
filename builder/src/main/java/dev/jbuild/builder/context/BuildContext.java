package dev.jbuild.builder.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A build context: a directory on the host plus the ignore rules that hide parts of it. It answers
 * which files a build may see ({@link #walk()}) and where a context path really is ({@link
 * #resolve(String)}).
 *
 * <p>Invariant: nothing this class returns lies outside the context root. Paths given by users
 * that climb out of it ({@code ../x}) are refused; symlinks are followed as if the root were
 * {@code /}, so an absolute target or a target with too many {@code ..} stays inside.
 */
public final class BuildContext {
  /** Linux's own limit on symlinks followed while resolving one path. */
  private static final int MAX_SYMLINKS = 40;

  /** Names sorted by their UTF-8 bytes, as Go sorts them, so the order does not depend on the JDK. */
  static final Comparator<String> BYTE_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final Path root;
  private final IgnoreRules rules;

  private BuildContext(Path root, IgnoreRules rules) {
    this.root = root;
    this.rules = rules;
  }

  /** The context {@code root} (an existing directory, taken as its real path) with {@code rules}. */
  public static BuildContext of(Path root, IgnoreRules rules) throws IOException {
    Path real = root.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new NotDirectoryException(root.toString());
    }
    return new BuildContext(real, rules);
  }

  /** The context {@code root} with the ignore file that {@link IgnoreFile#locate} finds for {@code buildfile}. */
  public static BuildContext open(Path root, Optional<Path> buildfile) throws IOException {
    return of(root, IgnoreFile.load(root, buildfile));
  }

  /** The context directory (a real path). */
  public Path root() {
    return root;
  }

  /** The ignore rules. */
  public IgnoreRules rules() {
    return rules;
  }

  /** Whether the context path {@code relPath} is hidden by the ignore rules. */
  public boolean isExcluded(String relPath) {
    return rules.matchesOrParentMatches(relPath);
  }

  /**
   * Every entry the build may see, depth first, each directory's children sorted by name; a
   * directory comes before its contents. An excluded directory is not entered unless a later
   * {@code !} pattern could re-include something beneath it; it is then listed only if something
   * beneath it is.
   */
  public List<ContextEntry> walk() throws IOException {
    return walk(".");
  }

  /**
   * Like {@link #walk()}, for the entries strictly beneath the context directory {@code relDir}
   * ({@code "."} for the root). {@code relDir} is first {@link #resolve resolved}, so the paths
   * yielded are those of the directory it really is, relative to the root; {@link
   * NotDirectoryException} if it is not a directory.
   */
  public List<ContextEntry> walk(String relDir) throws IOException {
    Path host = resolve(relDir, true);
    if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotDirectoryException(relDir);
    }
    List<ContextEntry> out = new ArrayList<>();
    walkDir(relativize(host), out, new ArrayDeque<>());
    return out;
  }

  private void walkDir(String relDir, List<ContextEntry> out, Deque<ContextEntry> pendingParents)
      throws IOException {
    Path dir = relDir.equals(".") ? root : root.resolve(relDir);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort(BYTE_ORDER);
    for (String name : names) {
      String rel = relDir.equals(".") ? name : relDir + "/" + name;
      BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      ContextEntry entry = new ContextEntry(rel, typeOf(a));
      boolean excluded = rules.matchesOrParentMatches(rel);
      if (a.isDirectory()) {
        if (!excluded) {
          flush(out, pendingParents);
          out.add(entry);
          walkDir(rel, out, pendingParents);
        } else if (rules.mayReincludeBeneath(rel)) {
          // Listed only if something below it is re-included, as BuildKit keeps the parents of included files.
          pendingParents.addLast(entry);
          walkDir(rel, out, pendingParents);
          if (!pendingParents.isEmpty() && pendingParents.peekLast() == entry) {
            pendingParents.removeLast();
          }
        }
      } else if (!excluded) {
        flush(out, pendingParents);
        out.add(entry);
      }
    }
  }

  private static void flush(List<ContextEntry> out, Deque<ContextEntry> pendingParents) {
    while (!pendingParents.isEmpty()) {
      out.add(pendingParents.removeFirst());
    }
  }

  static ContextEntry.Type typeOf(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return ContextEntry.Type.SYMLINK;
    }
    if (a.isDirectory()) {
      return ContextEntry.Type.DIRECTORY;
    }
    return a.isRegularFile() ? ContextEntry.Type.FILE : ContextEntry.Type.OTHER;
  }

  /** {@link #resolve(String, boolean)} following a symlink in the last component too, as COPY sources do. */
  public Path resolve(String relPath) throws IOException {
    return resolve(relPath, true);
  }

  /**
   * The host path of the context path {@code relPath}. A leading {@code /} is ignored (a COPY
   * source {@code /a} means the context's {@code a}); after lexical cleaning a path that climbs
   * out of the context is refused with {@link ContextEscapeException}. Symlinks on the way (and
   * the last component, with {@code followLast}) are followed inside the context: an absolute
   * target starts again at the root and {@code ..} never goes above it. The result need not
   * exist.
   */
  public Path resolve(String relPath, boolean followLast) throws IOException {
    String cleaned = clean(relPath);
    Deque<String> todo = new ArrayDeque<>(components(cleaned));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        // Only symlink targets bring ".." here; at the root it stays at the root, like "/.." does.
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path candidate = join(done).resolve(c);
      boolean last = todo.isEmpty();
      if ((followLast || !last) && Files.isSymbolicLink(candidate)) {
        if (++links > MAX_SYMLINKS) {
          throw new FileSystemException(relPath, null, "too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> parts = components(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      done.add(c);
    }
    return join(done);
  }

  /** The clean context path of a host path inside the context ({@code "."} for the root). */
  public String relativize(Path hostPath) {
    Path rel = root.relativize(hostPath.toAbsolutePath().normalize());
    String s = rel.toString();
    if (s.isEmpty()) {
      return ".";
    }
    if (PathText.escapes(s)) {
      throw new ContextEscapeException(hostPath.toString());
    }
    return s;
  }

  /** A user's context path cleaned: leading slashes dropped, refused if it climbs out. */
  static String clean(String relPath) {
    String p = relPath;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    String cleaned = PathText.clean(p);
    if (PathText.escapes(cleaned)) {
      throw new ContextEscapeException(relPath);
    }
    return cleaned;
  }

  private Path join(List<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return root + " " + rules;
  }
}
