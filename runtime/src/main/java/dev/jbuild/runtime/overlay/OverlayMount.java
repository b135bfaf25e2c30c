package dev.jbuild.runtime.overlay;

import dev.jbuild.store.sys.LinuxSys;
import dev.jbuild.store.sys.SysException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An overlayfs mounted at a target directory; {@link #close()} unmounts it (idempotent).
 *
 * <p>Short layer lists are mounted with mount(2). A list whose option string exceeds the one page
 * mount(2) accepts (some 40 to 200 layers, depending on path lengths) goes through the new mount API:
 * {@code fsopen("overlay")} and one {@code fsconfig(FSCONFIG_SET_STRING, "lowerdir+", dir)} per layer,
 * which has no length limit (Linux 6.8+; older kernels fail with EINVAL for {@code lowerdir+}).
 *
 * <pre>{@code
 * try (OverlayMount m = OverlayMount.mount(new OverlayOptions(lowers, upper, work), rootfs)) {
 *   ... use rootfs ...
 * }
 * }</pre>
 */
public final class OverlayMount implements AutoCloseable {
  private final Path target;
  private boolean mounted;

  private OverlayMount(Path target) {
    this.target = target;
    this.mounted = true;
  }

  /** Mounts the overlay on {@code target} (created if missing). */
  public static OverlayMount mount(OverlayOptions options, Path target) throws IOException {
    options.createDirs();
    Files.createDirectories(target);
    if (options.fitsLegacyMount()) {
      LinuxSys.mount("overlay", target, "overlay", 0, options.data());
    } else {
      mountWithFsconfig(options, target);
    }
    return new OverlayMount(target);
  }

  private static void mountWithFsconfig(OverlayOptions options, Path target) throws IOException {
    int fs = LinuxSys.fsopen("overlay");
    try {
      LinuxSys.fsconfigString(fs, "source", "overlay");
      // lowerdir+ appends one layer at a time, top first like the legacy lowerdir list.
      for (int i = options.lowers().size() - 1; i >= 0; i--) {
        LinuxSys.fsconfigString(fs, "lowerdir+", options.lowers().get(i).toString());
      }
      if (options.upper() != null) {
        LinuxSys.fsconfigString(fs, "upperdir", options.upper().toString());
        LinuxSys.fsconfigString(fs, "workdir", options.work().toString());
      }
      for (String opt : OverlayOptions.FIXED) {
        int eq = opt.indexOf('=');
        LinuxSys.fsconfigString(fs, opt.substring(0, eq), opt.substring(eq + 1));
      }
      LinuxSys.fsconfigCreate(fs);
      int mnt = LinuxSys.fsmount(fs, 0);
      try {
        LinuxSys.moveMount(mnt, target);
      } finally {
        LinuxSys.closeFd(mnt);
      }
    } finally {
      LinuxSys.closeFd(fs);
    }
  }

  /** Adopts an overlay that is already mounted (by an earlier process), so that close() unmounts it. */
  public static OverlayMount adopt(Path target) {
    return new OverlayMount(target);
  }

  public Path target() {
    return target;
  }

  /** Unmounts; a second call, or a target that is no longer mounted, does nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (!mounted) {
      return;
    }
    unmount(target);
    mounted = false;
  }

  /** Unmounts {@code target}, treating "not mounted" (EINVAL) and a missing target as done. */
  public static void unmount(Path target) throws IOException {
    try {
      LinuxSys.umount(target, 0);
    } catch (SysException e) {
      if (e.errno() == LinuxSys.EINVAL || e.errno() == LinuxSys.ENOENT) {
        return;
      }
      if (e.errno() == LinuxSys.EBUSY) {
        // Something still has it open (a lingering process in the container): detach lazily so the
        // mount disappears as soon as the last user goes.
        LinuxSys.umount(target, LinuxSys.MNT_DETACH);
        return;
      }
      throw e;
    }
  }
}
