package dev.jbuild.store.archive;

import dev.jbuild.store.JbuildException;

/** An archive that cannot be saved or loaded: its place is the archive entry or blob at fault. */
public class ArchiveException extends JbuildException {
  private static final long serialVersionUID = 1L;

  public ArchiveException(String place, String message) {
    super(place, message, null);
  }

  public ArchiveException(String place, String message, Throwable cause) {
    super(place, message, cause);
  }
}
