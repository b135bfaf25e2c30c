package dev.jbuild.store.sys;

import java.io.IOException;

/** A failed system call: what was being done and the errno it failed with. */
public class SysException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public SysException(String what, int errno) {
    super(what + ": " + Errno.describe(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
