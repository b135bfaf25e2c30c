package dev.jbuild.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
  @TempDir Path root;

  private UserResolver fixture() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), """
        root:x:0:0:root:/root:/bin/sh
        app:x:1000:1000:App:/home/app:/bin/sh
        # comment
        nobody:x:65534:65534:nobody:/nonexistent:/bin/false
        """);
    Files.writeString(root.resolve("etc/group"), """
        root:x:0:
        wheel:x:10:app,other
        app:x:1000:
        audio:x:29:app
        staff:x:50:
        nogroup:x:65534:
        """);
    return new UserResolver(root);
  }

  @Test
  void resolvesNamesNumbersAndGroups() throws IOException {
    UserResolver r = fixture();
    assertEquals(new ResolvedUser(0, 0, List.of(), "/root"), r.resolve(""));
    assertEquals(new ResolvedUser(1000, 1000, List.of(10L, 29L), "/home/app"), r.resolve("app"));
    assertEquals(new ResolvedUser(1000, 1000, List.of(10L, 29L), "/home/app"), r.resolve("1000"));
    assertEquals(new ResolvedUser(1000, 50, List.of(10L, 29L), "/home/app"), r.resolve("app:staff"));
    assertEquals(new ResolvedUser(1000, 7, List.of(10L, 29L), "/home/app"), r.resolve("app:7"));
    assertEquals(new ResolvedUser(4242, 0, List.of(), "/"), r.resolve("4242"));
    assertEquals(new ResolvedUser(4242, 4243, List.of(), "/"), r.resolve("4242:4243"));
    assertThrows(JbuildException.class, () -> r.resolve("ghost"));
    assertThrows(JbuildException.class, () -> r.resolve("app:ghosts"));
  }

  @Test
  void neverReadsOutsideTheRootfs(@TempDir Path outside) throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Path hostPasswd = outside.resolve("passwd");
    Files.writeString(hostPasswd, "evil:x:0:0::/:/bin/sh\n");
    // An absolute link, and one climbing with .., both must stay inside the root.
    Files.createSymbolicLink(root.resolve("etc/passwd"), hostPasswd);
    assertThrows(JbuildException.class, () -> new UserResolver(root).resolve("evil"));
    Files.delete(root.resolve("etc/passwd"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../../../" + hostPasswd));
    assertThrows(JbuildException.class, () -> new UserResolver(root).resolve("evil"));
    assertEquals(root.resolve("etc/x"), ScopedPath.resolve(root, "/../../etc/./x"));
  }

  @Test
  void linksResolveWithinTheRoot() throws IOException {
    Files.createDirectories(root.resolve("real/etc"));
    Files.writeString(root.resolve("real/etc/passwd"), "u:x:5:6::/h:/bin/sh\n");
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/real/etc"));
    assertEquals(new ResolvedUser(5, 6, List.of(), "/h"), new UserResolver(root).resolve("u"));
  }
}
