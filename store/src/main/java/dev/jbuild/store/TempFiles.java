package dev.jbuild.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files and directories inside jbuild's own directories (the store's {@code tmp/}, its
 * cache and snapshot directories), made as {@link Files#createTempFile} and {@link
 * Files#createTempDirectory} make them (a fresh name, created exclusively, mode 0600 or 0700) but
 * named from a {@link ThreadLocalRandom}. The JDK's versions draw the name from a {@code
 * SecureRandom}, whose first use in a process loads the security providers and seeds them: 25-60 ms
 * of a short command such as a fully cached build. Unpredictable names buy nothing in directories
 * only root can write, and exclusive creation already stops a name from being taken twice. Files
 * next to a user's own paths keep the JDK's versions.
 */
public final class TempFiles {
  private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final int ATTEMPTS = 100;

  private TempFiles() {}

  /** A new empty file {@code dir/prefix<random>suffix}, mode 0600 (less under the umask). */
  public static Path createFile(Path dir, String prefix, String suffix) throws IOException {
    FileAlreadyExistsException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return Files.createFile(dir.resolve(name(prefix, suffix)), FILE_0600);
      } catch (FileAlreadyExistsException e) {
        last = e;
      }
    }
    throw last;
  }

  /** A new directory {@code dir/prefix<random>}, mode 0700 (less under the umask). */
  public static Path createDirectory(Path dir, String prefix) throws IOException {
    FileAlreadyExistsException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return Files.createDirectory(dir.resolve(name(prefix, "")), DIR_0700);
      } catch (FileAlreadyExistsException e) {
        last = e;
      }
    }
    throw last;
  }

  private static String name(String prefix, String suffix) {
    String n = prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix;
    if (n.indexOf('/') >= 0 || n.equals(".") || n.equals("..")) {
      throw new IllegalArgumentException("[internal error] invalid temporary name " + n);
    }
    return n;
  }
}
