package dev.jbuild.runtime.net;

import dev.jbuild.store.JbuildException;

/** A CNI plugin failed: the plugin, the command, and the CNI error code and message it returned. */
public class CniException extends JbuildException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public CniException(String plugin, String command, int code, String message) {
    super("CNI " + command + " " + plugin + ": " + message + (code > 0 ? " (code " + code + ")" : ""));
    this.code = code;
  }

  /** The CNI error code (1-99 spec-defined, 100+ plugin-defined), 0 if none was reported. */
  public int code() {
    return code;
  }
}
