package dev.jbuild.runtime.spec;

import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a {@code USER} value ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) through
 * the root filesystem's own /etc/passwd and /etc/group, read inside the rootfs without following
 * symlinks out of it. Supplementary groups are the groups that list the user name as a member, as
 * docker computes them.
 */
public final class UserResolver {
  private static final long MAX_ID = 0xFFFF_FFFEL;

  private final Path rootfs;

  public UserResolver(Path rootfs) {
    this.rootfs = rootfs;
  }

  /** Resolves {@code user}; empty or null means root. Unknown names are errors, unknown numbers are not. */
  public ResolvedUser resolve(String user) throws IOException {
    String spec = user == null ? "" : user.strip();
    if (spec.isEmpty()) {
      spec = "0";
    }
    String userPart = spec;
    String groupPart = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      userPart = spec.substring(0, colon);
      groupPart = spec.substring(colon + 1);
    }
    List<String[]> passwd = table("/etc/passwd");
    List<String[]> group = table("/etc/group");

    Optional<Long> numericUid = number(userPart);
    String[] pw = null;
    for (String[] e : passwd) {
      if (e.length >= 4 && (numericUid.isPresent() ? e[2].equals(userPart) : e[0].equals(userPart))) {
        pw = e;
        break;
      }
    }
    long uid;
    long gid;
    String home = "/";
    String name = null;
    if (pw != null) {
      uid = parseId(pw[2], "uid of " + pw[0]);
      gid = parseId(pw[3], "gid of " + pw[0]);
      name = pw[0];
      home = pw.length > 5 ? pw[5] : "/";
    } else if (numericUid.isPresent()) {
      uid = numericUid.get();
      gid = 0;
    } else {
      throw new JbuildException("unable to find user " + userPart + ": no matching entries in passwd file");
    }
    if (groupPart != null && !groupPart.isEmpty()) {
      Optional<Long> numericGid = number(groupPart);
      if (numericGid.isPresent()) {
        gid = numericGid.get();
      } else {
        final String wanted = groupPart;
        gid = group.stream().filter(g -> g.length >= 3 && g[0].equals(wanted)).findFirst()
            .map(g -> parseId(g[2], "gid of group " + wanted))
            .orElseThrow(() -> new JbuildException("unable to find group " + wanted + ": no matching entries in group file"));
      }
    }
    List<Long> extra = new ArrayList<>();
    if (name != null) {
      for (String[] g : group) {
        if (g.length >= 4 && List.of(g[3].split(",")).contains(name)) {
          long id = parseId(g[2], "gid of group " + g[0]);
          if (id != gid && !extra.contains(id)) {
            extra.add(id);
          }
        }
      }
    }
    return new ResolvedUser(uid, gid, extra, home);
  }

  private List<String[]> table(String inside) throws IOException {
    Path file = ScopedPath.resolve(rootfs, inside);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      rows.add(line.split(":", -1));
    }
    return rows;
  }

  private static Optional<Long> number(String s) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(parseId(s, "id " + s));
  }

  private static long parseId(String s, String what) {
    try {
      long v = Long.parseLong(s.strip());
      if (v < 0 || v > MAX_ID) {
        throw new JbuildException(what + " out of range: " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new JbuildException(what + " is not a number: " + s, e);
    }
  }
}
