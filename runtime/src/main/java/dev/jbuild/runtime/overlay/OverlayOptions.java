package dev.jbuild.runtime.overlay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lower, upper and work directories of an overlay mount and its fixed options.
 *
 * <p>{@code index=off}, {@code redirect_dir=off} and {@code metacopy=off} keep the upper directory a
 * self-contained diff: a redirect or metacopy-only inode would refer to the lower layers, and the
 * index would tie the upper to these particular lowers. {@code xino=off} avoids the kernel borrowing
 * inode bits, which fails on some lower filesystems.
 *
 * @param lowers the lower directories, bottom first (the order images list their layers)
 */
public record OverlayOptions(List<Path> lowers, Path upper, Path work) {
  /** The options every jbuild overlay is mounted with. */
  public static final List<String> FIXED = List.of("index=off", "redirect_dir=off", "metacopy=off", "xino=off");

  /** Linux caps the legacy mount(2) data string at one page. */
  static final int PAGE = 4096;

  public OverlayOptions {
    if (lowers == null || lowers.isEmpty()) {
      throw new IllegalArgumentException("an overlay needs at least one lower directory");
    }
    lowers = List.copyOf(lowers);
    for (Path p : lowers) {
      checkPath(p);
    }
    if ((upper == null) != (work == null)) {
      throw new IllegalArgumentException("upper and work directories go together");
    }
    if (upper != null) {
      checkPath(upper);
      checkPath(work);
    }
  }

  private static void checkPath(Path p) {
    Objects.requireNonNull(p);
    String s = p.toString();
    // ':' separates lowerdir entries and ',' separates options; the kernel's escaping is not worth it.
    if (!p.isAbsolute() || s.contains(",") || s.contains(":")) {
      throw new IllegalArgumentException("overlay directory must be absolute and free of ',' and ':': " + p);
    }
  }

  /** Read-only overlay of lowers only (needs two or more lowers, or one plus an upper, per the kernel). */
  public static OverlayOptions readOnly(List<Path> lowers) {
    return new OverlayOptions(lowers, null, null);
  }

  /**
   * The legacy mount(2) data string. The kernel wants lowerdir top first, which is the reverse of the
   * image's layer order.
   */
  public String data() {
    List<String> parts = new ArrayList<>();
    List<String> lowersTopFirst = new ArrayList<>();
    for (int i = lowers.size() - 1; i >= 0; i--) {
      lowersTopFirst.add(lowers.get(i).toString());
    }
    parts.add("lowerdir=" + String.join(":", lowersTopFirst));
    if (upper != null) {
      parts.add("upperdir=" + upper);
      parts.add("workdir=" + work);
    }
    parts.addAll(FIXED);
    return String.join(",", parts);
  }

  /** True when {@link #data()} fits the one page mount(2) accepts (with its terminating NUL). */
  public boolean fitsLegacyMount() {
    return data().length() < PAGE;
  }

  /** Creates the upper and work directories if missing. */
  public void createDirs() throws java.io.IOException {
    if (upper != null) {
      Files.createDirectories(upper);
      Files.createDirectories(work);
    }
  }
}
