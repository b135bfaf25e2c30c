package dev.jbuild.store.sys;

/** Names and texts for the errno values jbuild's syscalls commonly meet. */
final class Errno {
  private Errno() {}

  static String describe(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted (EPERM)";
      case 2 -> "no such file or directory (ENOENT)";
      case 13 -> "permission denied (EACCES)";
      case 16 -> "device or resource busy (EBUSY)";
      case 17 -> "file exists (EEXIST)";
      case 19 -> "no such device (ENODEV)";
      case 20 -> "not a directory (ENOTDIR)";
      case 22 -> "invalid argument (EINVAL)";
      case 28 -> "no space left on device (ENOSPC)";
      case 30 -> "read-only file system (EROFS)";
      case 34 -> "result too large (ERANGE)";
      case 36 -> "file name too long (ENAMETOOLONG)";
      case 40 -> "too many levels of symbolic links (ELOOP)";
      case 61 -> "no data available (ENODATA)";
      case 95 -> "operation not supported (EOPNOTSUPP)";
      default -> "errno " + errno;
    };
  }
}
