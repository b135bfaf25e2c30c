package dev.jbuild.runtime.spec;

import java.util.List;

/** A user resolved against an image's /etc/passwd and /etc/group: ids, supplementary groups and home. */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
  public static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(), "/root");

  public ResolvedUser {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("uid and gid must not be negative");
    }
    additionalGids = List.copyOf(additionalGids);
    if (home == null || home.isEmpty()) {
      home = "/";
    }
  }

  public RuntimeSpec.User toSpec() {
    return new RuntimeSpec.User(uid, gid, additionalGids);
  }
}
