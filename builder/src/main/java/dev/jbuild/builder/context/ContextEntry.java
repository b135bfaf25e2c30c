package dev.jbuild.builder.context;

/**
 * One entry of a build context as {@link BuildContext#walk()} yields it: its slash-separated path
 * relative to the context root (never {@code .}, never starting with {@code /}) and its type, as
 * seen without following symlinks.
 */
public record ContextEntry(String path, Type type) {

  /** The kind of file, from {@code lstat}. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** A fifo, socket or device node. */
    OTHER
  }

  public ContextEntry {
    if (path == null || path.isEmpty() || path.startsWith("/") || !PathText.clean(path).equals(path)
        || PathText.escapes(path) || path.equals(".")) {
      throw new IllegalArgumentException("[internal error] not a clean context path: \"" + path + "\"");
    }
    if (type == null) {
      throw new IllegalArgumentException("[internal error] context entry without a type");
    }
  }
}
