package dev.jbuild.store.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one facade over the Linux system calls the JDK cannot make: mount, umount2, mknod, the
 * xattr calls that reach the {@code trusted.*} and {@code security.*} namespaces, and unshare plus an
 * interface-flags ioctl for network namespaces. Nothing else in
 * jbuild touches JNA (a depcheck test enforces it).
 *
 * <p>Every call throws {@link SysException} (an {@link IOException}) carrying the errno.
 * Loading libc is deferred to the first call, so commands that need no syscall pay nothing.
 */
public final class LinuxSys {
  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_REMOUNT = 32;
  public static final long MS_BIND = 4096;
  public static final long MS_REC = 16384;
  public static final long MS_PRIVATE = 1 << 18;
  public static final int MNT_DETACH = 2;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFIFO = 0010000;
  public static final int ENODATA = 61;
  public static final int ENOENT = 2;
  public static final int EINVAL = 22;
  public static final int EBUSY = 16;
  public static final int ENOTSUP = 95;

  private LinuxSys() {}

  /** glibc, declared the way JNA maps it; errno arrives as LastErrorException. */
  private interface LibC extends Library {
    int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int mknod(String path, int mode, long dev) throws LastErrorException;

    NativeLong lgetxattr(String path, String name, Pointer value, NativeLong size) throws LastErrorException;

    int lsetxattr(String path, String name, Pointer value, NativeLong size, int flags) throws LastErrorException;

    NativeLong llistxattr(String path, Pointer list, NativeLong size) throws LastErrorException;

    int lremovexattr(String path, String name) throws LastErrorException;

    int lchown(String path, int owner, int group) throws LastErrorException;

    int symlink(String target, String linkpath) throws LastErrorException;

    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) throws LastErrorException;
    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int ioctl(int fd, NativeLong request, byte[] arg) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC C = load();

    private static LibC load() {
      // JNA's NativeLibrary computes its default search path by running "/sbin/ldconfig -p" unless
      // this property is set: a fork and exec on every command that makes one syscall. glibc's
      // soname is loaded directly by dlopen, so the search path is not needed for it.
      if (System.getProperty("jna.platform.library.path") == null) {
        String multiarch = switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "x86_64-linux-gnu";
          case "aarch64" -> "aarch64-linux-gnu";
          default -> System.getProperty("os.arch") + "-linux-gnu";
        };
        System.setProperty("jna.platform.library.path",
            "/lib/" + multiarch + ":/usr/lib/" + multiarch + ":/lib64:/usr/lib64:/lib:/usr/lib");
      }
      return Native.load("libc.so.6", LibC.class);
    }
  }

  private static LibC c() {
    return Holder.C;
  }

  public static void mount(String source, Path target, String fstype, long flags, String data) throws IOException {
    try {
      c().mount(source, target.toString(), fstype, new NativeLong(flags), data);
    } catch (LastErrorException e) {
      throw new SysException("mount " + fstype + " on " + target, e.getErrorCode());
    }
  }

  public static void umount(Path target, int flags) throws IOException {
    try {
      c().umount2(target.toString(), flags);
    } catch (LastErrorException e) {
      throw new SysException("unmount " + target, e.getErrorCode());
    }
  }

  /** Creates a device node or fifo; {@code mode} includes the file type bits. */
  public static void mknod(Path path, int mode, int major, int minor) throws IOException {
    try {
      c().mknod(path.toString(), mode, makedev(major, minor));
    } catch (LastErrorException e) {
      throw new SysException("mknod " + path, e.getErrorCode());
    }
  }

  /** glibc's makedev for a 64-bit dev_t. */
  public static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
  }

  public static int major(long dev) {
    return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
  }

  public static int minor(long dev) {
    return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
  }

  /** The value of an xattr of the path itself (never following a symlink), or null if it has none. */
  public static byte[] getXattr(Path path, String name) throws IOException {
    try {
      int size = 256;
      while (true) {
        Memory buf = new Memory(size);
        try {
          long n = c().lgetxattr(path.toString(), name, buf, new NativeLong(size)).longValue();
          return buf.getByteArray(0, (int) n);
        } catch (LastErrorException e) {
          if (e.getErrorCode() != 34 /* ERANGE */) {
            throw e;
          }
          long need = c().lgetxattr(path.toString(), name, Pointer.NULL, new NativeLong(0)).longValue();
          size = (int) Math.max(need, size * 2L);
        }
      }
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
        return null;
      }
      throw new SysException("read xattr " + name + " of " + path, e.getErrorCode());
    }
  }

  public static void setXattr(Path path, String name, byte[] value) throws IOException {
    Memory buf = new Memory(Math.max(1, value.length));
    buf.write(0, value, 0, value.length);
    try {
      c().lsetxattr(path.toString(), name, buf, new NativeLong(value.length), 0);
    } catch (LastErrorException e) {
      throw new SysException("set xattr " + name + " on " + path, e.getErrorCode());
    }
  }

  public static void removeXattr(Path path, String name) throws IOException {
    try {
      c().lremovexattr(path.toString(), name);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENODATA) {
        return;
      }
      throw new SysException("remove xattr " + name + " from " + path, e.getErrorCode());
    }
  }

  /** The names of the path's xattrs (never following a symlink), in the kernel's order. */
  public static List<String> listXattrs(Path path) throws IOException {
    try {
      long need = c().llistxattr(path.toString(), Pointer.NULL, new NativeLong(0)).longValue();
      if (need <= 0) {
        return List.of();
      }
      Memory buf = new Memory(need);
      long n = c().llistxattr(path.toString(), buf, new NativeLong(need)).longValue();
      byte[] raw = buf.getByteArray(0, (int) n);
      List<String> names = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          if (i > start) {
            names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          }
          start = i + 1;
        }
      }
      return names;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOTSUP) {
        return List.of();
      }
      throw new SysException("list xattrs of " + path, e.getErrorCode());
    }
  }

  /** Changes the owner of the path itself (never following a symlink); ids are unsigned 32-bit. */
  public static void lchown(Path path, long uid, long gid) throws IOException {
    try {
      c().lchown(path.toString(), (int) uid, (int) gid);
    } catch (LastErrorException e) {
      throw new SysException("lchown " + path, e.getErrorCode());
    }
  }

  /**
   * Creates a symlink whose target is exactly {@code target} (the JDK's createSymbolicLink goes
   * through a Path, which drops trailing and doubled slashes).
   */
  public static void symlink(String target, Path link) throws IOException {
    try {
      c().symlink(target, link.toString());
    } catch (LastErrorException e) {
      throw new SysException("symlink " + link, e.getErrorCode());
    }
  }

  public static final int EEXIST = 17;
  public static final int ENOTEMPTY = 39;

  /**
   * Renames {@code from} to {@code to} unless {@code to} exists (renameat2 RENAME_NOREPLACE);
   * returns false, and leaves both alone, when it does.
   */
  public static boolean renameNoReplace(Path from, Path to) throws IOException {
    try {
      c().renameat2(-100 /* AT_FDCWD */, from.toString(), -100, to.toString(), 1 /* RENAME_NOREPLACE */);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EEXIST || e.getErrorCode() == ENOTEMPTY) {
        return false;
      }
      throw new SysException("rename " + from + " to " + to, e.getErrorCode());
    }
  }

  // The new mount API (Linux 5.2+). The syscall numbers are the same on every architecture
  // because they were allocated after the tables were unified (asm-generic). Variadic syscall(2)
  // reads every argument as a long: pass longs so no register keeps stale upper bits.
  private static final long SYS_MOVE_MOUNT = 429;
  private static final long SYS_FSOPEN = 430;
  private static final long SYS_FSCONFIG = 431;
  private static final long SYS_FSMOUNT = 432;
  public static final int FSOPEN_CLOEXEC = 1;
  public static final int FSMOUNT_CLOEXEC = 1;
  public static final int FSCONFIG_SET_FLAG = 0;
  public static final int FSCONFIG_SET_STRING = 1;
  public static final int FSCONFIG_CMD_CREATE = 6;
  public static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
  private static final int AT_FDCWD = -100;

  /** fsopen(2): a filesystem context fd for {@code fsType}; the caller closes it with {@link #closeFd}. */
  public static int fsopen(String fsType) throws IOException {
    try {
      return c().syscall(new NativeLong(SYS_FSOPEN), fsType, (long) FSOPEN_CLOEXEC).intValue();
    } catch (LastErrorException e) {
      throw new SysException("fsopen " + fsType, e.getErrorCode());
    }
  }

  /** fsconfig(2) with FSCONFIG_SET_STRING, e.g. {@code ("lowerdir+", "/path")} for overlayfs on Linux 6.8+. */
  public static void fsconfigString(int fsFd, String key, String value) throws IOException {
    try {
      c().syscall(new NativeLong(SYS_FSCONFIG), (long) fsFd, (long) FSCONFIG_SET_STRING, key, value, 0L);
    } catch (LastErrorException e) {
      throw new SysException("fsconfig " + key + "=" + value, e.getErrorCode());
    }
  }

  /** fsconfig(2) with FSCONFIG_SET_FLAG: a boolean option without a value. */
  public static void fsconfigFlag(int fsFd, String key) throws IOException {
    try {
      c().syscall(new NativeLong(SYS_FSCONFIG), (long) fsFd, (long) FSCONFIG_SET_FLAG, key, Pointer.NULL, 0L);
    } catch (LastErrorException e) {
      throw new SysException("fsconfig " + key, e.getErrorCode());
    }
  }

  /** fsconfig(2) with FSCONFIG_CMD_CREATE: creates the superblock from the configured context. */
  public static void fsconfigCreate(int fsFd) throws IOException {
    try {
      c().syscall(new NativeLong(SYS_FSCONFIG), (long) fsFd, (long) FSCONFIG_CMD_CREATE, Pointer.NULL, Pointer.NULL, 0L);
    } catch (LastErrorException e) {
      throw new SysException("fsconfig create", e.getErrorCode());
    }
  }

  /** fsmount(2): a detached mount fd for a created context; the caller closes it with {@link #closeFd}. */
  public static int fsmount(int fsFd, int attrFlags) throws IOException {
    try {
      return c().syscall(new NativeLong(SYS_FSMOUNT), (long) fsFd, (long) FSMOUNT_CLOEXEC, (long) attrFlags).intValue();
    } catch (LastErrorException e) {
      throw new SysException("fsmount", e.getErrorCode());
    }
  }

  /** move_mount(2) of a detached mount fd onto {@code target}. */
  public static void moveMount(int mountFd, Path target) throws IOException {
    try {
      c().syscall(new NativeLong(SYS_MOVE_MOUNT), (long) mountFd, "", (long) AT_FDCWD, target.toString(), (long) MOVE_MOUNT_F_EMPTY_PATH);
    } catch (LastErrorException e) {
      throw new SysException("move_mount to " + target, e.getErrorCode());
    }
  }

  /** close(2) of a descriptor returned by the calls above; errors are ignored as close(2) cannot be retried. */
  public static void closeFd(int fd) {
    try {
      c().close(fd);
    } catch (LastErrorException e) {
      // Linux releases the descriptor even when close fails, so there is nothing to retry.
    }
  }

  /**
   * Sets atime and mtime (whole seconds) of the path itself, never following a symlink and never
   * opening it (the JDK's setTimes opens the file, which blocks on a fifo and touches devices).
   */
  public static void setTimes(Path path, long atimeSeconds, long mtimeSeconds) throws IOException {
    try {
      // struct timespec[2] on LP64: {tv_sec, tv_nsec} twice
      c().utimensat(-100 /* AT_FDCWD */, path.toString(), new long[] {atimeSeconds, 0, mtimeSeconds, 0},
          0x100 /* AT_SYMLINK_NOFOLLOW */);
    } catch (LastErrorException e) {
      throw new SysException("set times of " + path, e.getErrorCode());
    }
  }

  public static final int CLONE_NEWNET = 0x40000000;
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final int IFF_UP = 1;
  private static final int IFNAMSIZ = 16;

  /**
   * unshare(2): moves the calling thread (not the process: namespaces are per task) into new
   * namespaces, e.g. {@link #CLONE_NEWNET}.
   */
  public static void unshare(int flags) throws IOException {
    try {
      c().unshare(flags);
    } catch (LastErrorException e) {
      throw new SysException("unshare", e.getErrorCode());
    }
  }

  /**
   * Sets IFF_UP on interface {@code name} of the calling thread's network namespace (SIOCGIFFLAGS then
   * SIOCSIFFLAGS on a datagram socket, as {@code ip link set NAME up} does).
   */
  public static void interfaceUp(String name) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name too long: " + name);
    }
    int fd;
    try {
      fd = c().socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new SysException("socket", e.getErrorCode());
    }
    try {
      byte[] ifreq = new byte[40]; // struct ifreq: char ifr_name[16], then the union (short ifr_flags first)
      System.arraycopy(n, 0, ifreq, 0, n.length);
      c().ioctl(fd, new NativeLong(SIOCGIFFLAGS), ifreq);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ifreq).order(java.nio.ByteOrder.nativeOrder());
      b.putShort(IFNAMSIZ, (short) (b.getShort(IFNAMSIZ) | IFF_UP));
      c().ioctl(fd, new NativeLong(SIOCSIFFLAGS), ifreq);
    } catch (LastErrorException e) {
      throw new SysException("set interface " + name + " up", e.getErrorCode());
    } finally {
      closeFd(fd);
    }
  }
}
