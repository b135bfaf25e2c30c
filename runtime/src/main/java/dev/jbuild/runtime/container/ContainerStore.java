package dev.jbuild.runtime.container;

import dev.jbuild.runtime.spec.RecordJson;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The containers of a store, one directory each under {@code <storeRoot>/containers/<id>/}. State
 * updates are read-modify-write under an exclusive file lock on the container's {@code lock} file, so
 * the owning process, {@code stop} from another shell and the reaper do not lose each other's writes;
 * state.json is replaced atomically (temp file, rename).
 */
public final class ContainerStore {
  private final Path root;

  public ContainerStore(Path storeRoot) {
    this.root = storeRoot.resolve("containers");
  }

  public Path root() {
    return root;
  }

  public Path dir(ContainerId id) {
    return root.resolve(id.hex());
  }

  /** Creates the container's directory and first state; the name must be unused. */
  public Path create(ContainerState state) throws IOException {
    Files.createDirectories(root);
    Path lockFile = root.resolve(".lock");
    synchronized (jvmLock(lockFile)) {
      return createUnderFileLock(lockFile, state);
    }
  }

  private Path createUnderFileLock(Path lockFile, ContainerState state) throws IOException {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock();
      try {
        return createLocked(state);
      } finally {
        lock.release();
      }
    }
  }

  private Path createLocked(ContainerState state) throws IOException {
    if (state.name() != null) {
      for (ContainerState other : list()) {
        if (state.name().equals(other.name())) {
          throw new JbuildException(state.name(), "the container name is already in use by " + other.id().shortId(), null);
        }
      }
    }
    // serialised first: a state that cannot be written leaves no directory behind (a directory
    // without state.json is never listed, so nothing would ever remove it)
    byte[] json = RecordJson.write(state, true);
    Path dir = dir(state.id());
    Files.createDirectory(dir);
    try {
      writeBytes(dir, json);
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(dir);
      } catch (IOException | RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    return dir;
  }

  public Optional<ContainerState> read(ContainerId id) throws IOException {
    try {
      return Optional.of(RecordJson.read(Files.readAllBytes(dir(id).resolve("state.json")), ContainerState.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private void write(ContainerState state) throws IOException {
    writeBytes(dir(state.id()), RecordJson.write(state, true));
  }

  private static void writeBytes(Path dir, byte[] json) throws IOException {
    Path tmp = dir.resolve("state.json.tmp");
    // No fsync: the ledger must survive a crash of the process (the page cache does), not a power
    // loss, which takes the mounts, netns files and runc state under /run with it anyway.
    Files.write(tmp, json);
    Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Applies {@code change} to the current state under the container's lock; returns the new state. */
  public ContainerState update(ContainerId id, UnaryOperator<ContainerState> change) throws IOException {
    Path lockFile = dir(id).resolve("lock");
    synchronized (jvmLock(lockFile)) {
      return updateUnderFileLock(lockFile, id, change);
    }
  }

  // A file lock is held by the process: a second thread of the same JVM asking for it gets an
  // OverlappingFileLockException instead of waiting. Threads first queue on a monitor per lock file.
  private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private static Object jvmLock(Path lockFile) {
    return JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object());
  }

  private ContainerState updateUnderFileLock(Path lockFile, ContainerId id, UnaryOperator<ContainerState> change)
      throws IOException {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock();
      try {
        ContainerState cur = read(id).orElseThrow(() -> new ContainerNotFoundException(id.shortId(), "no such container"));
        ContainerState next = change.apply(cur);
        write(next);
        return next;
      } finally {
        lock.release();
      }
    }
  }

  /** Every container with a readable state, oldest first. */
  public List<ContainerState> list() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<ContainerState> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = d.getFileName().toString();
        if (name.matches("[0-9a-f]{64}")) {
          try {
            read(new ContainerId(name)).ifPresent(out::add);
          } catch (IOException e) {
            // a state.json being written for the first time or damaged: not listed, reaped never
          }
        }
      }
    }
    out.sort((a, b) -> String.valueOf(a.created()).compareTo(String.valueOf(b.created())));
    return out;
  }

  /** Finds a container by full id, unique id prefix or name. */
  public ContainerState resolve(String ref) throws IOException {
    List<ContainerState> all = list();
    for (ContainerState s : all) {
      if (ref.equals(s.name()) || ref.equals(s.id().hex())) {
        return s;
      }
    }
    List<ContainerState> byPrefix = all.stream().filter(s -> !ref.isEmpty() && s.id().hex().startsWith(ref)).toList();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    throw new ContainerNotFoundException(ref, byPrefix.isEmpty() ? "no such container" : "ambiguous container id prefix");
  }

  /**
   * Deletes the container's directory. Refuses while anything is mounted below it, so a failed unmount
   * can never turn into deleting through a mount.
   */
  public void delete(ContainerId id) throws IOException {
    Path dir = dir(id).toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      return;
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && unescape(f[4]).startsWith(dir + "/")) {
        throw new JbuildException(id.shortId(), "cannot remove container directory: " + unescape(f[4]) + " is still mounted", null);
      }
    }
    deleteTree(dir);
  }

  static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /**
   * Deletes a tree without following symlinks. Entries that vanish meanwhile (another process
   * removing the same container) are not errors.
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.deleteIfExists(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
