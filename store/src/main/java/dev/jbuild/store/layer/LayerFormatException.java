package dev.jbuild.store.layer;

import dev.jbuild.store.JbuildException;

/**
 * A layer archive that is malformed or hostile (an entry escaping the target, a link through a
 * symlink, a truncated header), or a directory that cannot be captured as a layer. The place is
 * the offending entry's name when there is one.
 */
public class LayerFormatException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public LayerFormatException(String entry, String message) {
    super(entry == null ? null : "layer entry \"" + entry + "\"", message, null);
  }

  public LayerFormatException(String entry, String message, Throwable cause) {
    super(entry == null ? null : "layer entry \"" + entry + "\"", message, cause);
  }
}
