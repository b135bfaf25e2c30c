package dev.jbuild.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolution of a path inside a root filesystem as the container would see it: symlinks are followed
 * but always relative to the root, and {@code ..} never climbs above it, so a hostile image cannot
 * make jbuild read or write host files (the idea of Go's securejoin).
 */
public final class ScopedPath {
  private static final int MAX_LINKS = 255;

  private ScopedPath() {}

  /**
   * The host path that {@code inside} (absolute or relative to the root) names within {@code root}.
   * The result may not exist; every existing symlink on the way was resolved within the root.
   */
  public static Path resolve(Path root, String inside) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, inside);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path candidate = join(root, done).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many levels of symbolic links resolving " + inside + " in " + root);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.addLast(part);
      if (!todo.isEmpty() && Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not a directory: " + String.join("/", done) + " in " + root);
      }
    }
    return join(root, done);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.addFirst(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}
