package dev.jbuild.runtime.spec;

import java.util.List;

/**
 * The security options of a container: {@code --privileged}, {@code --cap-add/--cap-drop} (names
 * with or without {@code CAP_}, or {@code ALL}), {@code --security-opt seccomp=unconfined|FILE}
 * ({@code seccomp} null means jbuild's default profile), {@code no-new-privileges} and
 * {@code --read-only}.
 */
public record Security(
    boolean privileged, List<String> capAdd, List<String> capDrop, String seccomp, boolean noNewPrivileges,
    boolean readOnlyRootfs) {
  public static final Security DEFAULT = new Security(false, List.of(), List.of(), null, true, false);

  public Security {
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    if (seccomp != null && seccomp.isBlank()) {
      seccomp = null;
    }
  }

  public Security withPrivileged(boolean p) {
    return new Security(p, capAdd, capDrop, seccomp, noNewPrivileges, readOnlyRootfs);
  }

  public Security withCaps(List<String> add, List<String> drop) {
    return new Security(privileged, add, drop, seccomp, noNewPrivileges, readOnlyRootfs);
  }

  public Security withSeccomp(String s) {
    return new Security(privileged, capAdd, capDrop, s, noNewPrivileges, readOnlyRootfs);
  }

  public Security withNoNewPrivileges(boolean n) {
    return new Security(privileged, capAdd, capDrop, seccomp, n, readOnlyRootfs);
  }

  public Security withReadOnlyRootfs(boolean r) {
    return new Security(privileged, capAdd, capDrop, seccomp, noNewPrivileges, r);
  }
}
