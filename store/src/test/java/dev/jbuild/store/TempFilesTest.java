package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {
  @TempDir Path dir;

  @Test
  void filesAreNewPrivateAndNamedByPrefixAndSuffix() throws Exception {
    Set<Path> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Path f = TempFiles.createFile(dir, "blob-", ".partial");
      assertTrue(seen.add(f), "name given twice: " + f);
      assertEquals(dir, f.getParent());
      String n = f.getFileName().toString();
      assertTrue(n.startsWith("blob-") && n.endsWith(".partial") && n.length() > "blob-.partial".length(), n);
      assertEquals(0, Files.size(f));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
  }

  @Test
  void directoriesAreNewAndPrivate() throws Exception {
    Path a = TempFiles.createDirectory(dir, "step-");
    Path b = TempFiles.createDirectory(dir, "step-");
    assertTrue(Files.isDirectory(a) && Files.isDirectory(b) && !a.equals(b));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
  }

  @Test
  void aPrefixCannotLeaveTheDirectory() {
    assertThrows(IllegalArgumentException.class, () -> TempFiles.createFile(dir, "../x-", ""));
  }
}
