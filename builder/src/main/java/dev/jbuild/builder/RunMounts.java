package dev.jbuild.builder;

import dev.jbuild.builder.cache.StepInputs;
import dev.jbuild.builder.instruction.RunMount;
import dev.jbuild.builder.step.ImageState;
import dev.jbuild.runtime.spec.Volume;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.layer.Whiteouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --mount} options of one RUN: their part of the cache key (the mount specs, plus the content of
 * bind sources), and, for a step that runs, the volumes: cache dirs under {@code <root>/cache/mounts/}, binds
 * of the context or another stage (read-only unless {@code rw}; an {@code rw} bind of the context is refused,
 * since writes would reach the context), tmpfs, and secrets, which live in a private temp file for the
 * duration of the step only and never reach a layer, the cache key or the history.
 */
final class RunMounts {
  /** Resolves a {@code from=} value to the image it names. */
  @FunctionalInterface
  interface Sources {
    Optional<ImageState> stage(String ref) throws IOException, InterruptedException;
  }

  private final BuildSession s;
  private final Sources sources;
  private final List<RunMount> mounts;
  private static final int MAX_PRIVATE_COPIES = 64;

  RunMounts(BuildSession s, Sources sources, List<RunMount> mounts) {
    this.s = s;
    this.sources = sources;
    this.mounts = mounts;
  }

  void cacheInputs(StepInputs.Builder b) throws IOException, InterruptedException {
    for (int i = 0; i < mounts.size(); i++) {
      RunMount m = mounts.get(i);
      if (m.type() == RunMount.Type.SECRET) {
        // the id and target only: the content must never influence anything stored
        b.put("mount:" + i, "secret " + m.id().orElse("") + " " + m.target().orElse("") + " " + m.env().orElse(""));
        continue;
      }
      b.put("mount:" + i, m.spec());
      if (m.type() == RunMount.Type.BIND) {
        if (m.from().isPresent()) {
          b.put("mount-from:" + i, fromState(m).key().toString());
        } else {
          String src = contextSource(m);
          b.put("mount-source:" + i, s.checksums.checksum(src).toString());
        }
      }
    }
  }

  private ImageState fromState(RunMount m) throws IOException, InterruptedException {
    String ref = m.from().orElseThrow();
    return sources.stage(ref).orElseThrow(() -> new JbuildException(ref,
        "RUN --mount from= must name an earlier stage", null));
  }

  private static String contextSource(RunMount m) {
    String src = m.source().orElse(".");
    String clean = dev.jbuild.builder.exec.RootfsPaths.clean(src);
    return clean.equals("/") ? "." : clean.substring(1);
  }

  /** Prepares the volumes (and the secret env values added to {@code env}); close releases them. */
  Prepared prepare(List<String> env) throws IOException, InterruptedException {
    Prepared p = new Prepared(new ArrayList<>(env));
    try {
      for (RunMount m : mounts) {
        String target = m.target().orElse(null);
        switch (m.type()) {
          case CACHE -> {
            Path dir = cacheDir(m, p);
            if (!Files.isDirectory(dir)) {
              Files.createDirectories(dir);
              Files.setAttribute(dir, "unix:mode", (int) m.mode().orElse(0755));
              if (m.uid().isPresent() || m.gid().isPresent()) {
                dev.jbuild.store.sys.LinuxSys.lchown(dir, m.uid().orElse(0), m.gid().orElse(0));
              }
            }
            p.volumes.add(new Volume.Bind(dir, target, false));
          }
          case BIND -> {
            if (m.from().isPresent()) {
              SourceRootfs src = SourceRootfs.open(s, fromState(m));
              p.sources.add(src);
              Path host = dev.jbuild.builder.exec.RootfsPaths.resolve(src.root(), m.source().orElse("/"));
              p.volumes.add(new Volume.Bind(host, target, true));
            } else {
              if (!m.readOnly()) {
                throw new JbuildException(m.spec(), "a read-write bind mount of the build context is not supported", null);
              }
              p.volumes.add(new Volume.Bind(s.context.resolve(contextSource(m)), target, true));
            }
          }
          case TMPFS -> p.volumes.add(new Volume.Tmpfs(target, m.size().isPresent() ? "size=" + m.size().getAsLong() : ""));
          case SECRET -> secret(m, p);
          case SSH -> throw new JbuildException(m.spec(), "RUN --mount=type=ssh is not supported", null);
        }
      }
      return p;
    } catch (IOException | RuntimeException | InterruptedException e) {
      try {
        p.close();
      } catch (IOException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  /**
   * The directory of a cache mount, by its sharing mode: {@code shared} uses it whoever else does; {@code locked}
   * waits until no other step (of this build or another process) uses it and holds it for the step; {@code
   * private} takes it if nobody uses it, else the first free one of its private copies ({@code <id>-private-N}),
   * kept for later steps as BuildKit keeps its extra cache instances.
   */
  private Path cacheDir(RunMount m, Prepared p) throws IOException, InterruptedException {
    String id = m.id().orElse(m.target().orElse(""));
    Path mounts = Files.createDirectories(s.store.root().cache().resolve("mounts"));
    String hex = Digest.of(id).hex();
    Path dir = mounts.resolve(hex);
    switch (m.sharing()) {
      case SHARED -> CacheMountLock.tryShared(lockFile(dir)).ifPresent(p.locks::add);
      case LOCKED -> {
        Optional<CacheMountLock> now = CacheMountLock.tryExclusive(lockFile(dir));
        if (now.isEmpty()) {
          s.emit(new dev.jbuild.builder.event.BuildEvent.Message("waiting for cache mount " + id
              + " (sharing=locked), in use by another step"));
        }
        p.locks.add(now.isPresent() ? now.get() : CacheMountLock.exclusive(lockFile(dir)));
      }
      case PRIVATE -> {
        Optional<CacheMountLock> held = CacheMountLock.tryExclusive(lockFile(dir));
        for (int i = 1; held.isEmpty(); i++) {
          if (i > MAX_PRIVATE_COPIES) {
            throw new JbuildException(m.spec(), "more than " + MAX_PRIVATE_COPIES
                + " private copies of cache mount " + id + " are in use", null);
          }
          dir = mounts.resolve(hex + "-private-" + i);
          held = CacheMountLock.tryExclusive(lockFile(dir));
        }
        p.locks.add(held.get());
      }
    }
    return dir;
  }

  private static Path lockFile(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".lock");
  }

  private void secret(RunMount m, Prepared p) throws IOException {
    String id = m.id().orElseGet(() -> m.target().map(t -> t.substring(t.lastIndexOf('/') + 1)).orElse(""));
    BuildRequest.Secret sec = s.request.secrets().get(id);
    if (sec == null) {
      if (m.required()) {
        throw new JbuildException(m.spec(), "secret " + id + " is required but was not given with --secret", null);
      }
      return;
    }
    byte[] value = sec.file().isPresent() ? Files.readAllBytes(sec.file().get())
        : sec.value().orElseThrow().getBytes(StandardCharsets.UTF_8);
    if (m.env().isPresent()) {
      p.env.add(m.env().get() + "=" + new String(value, StandardCharsets.UTF_8));
      if (m.target().isEmpty()) {
        return;
      }
    }
    if (p.secretDir == null) {
      p.secretDir = dev.jbuild.store.TempFiles.createDirectory(s.tmp, "secrets-");
    }
    Path f = p.secretDir.resolve(Digest.of(id).hex());
    Files.write(f, value);
    Files.setAttribute(f, "unix:mode", (int) m.mode().orElse(0400));
    if (m.uid().isPresent() || m.gid().isPresent()) {
      dev.jbuild.store.sys.LinuxSys.lchown(f, m.uid().orElse(0), m.gid().orElse(0));
    }
    p.volumes.add(new Volume.Bind(f, m.target().orElse("/run/secrets/" + id), true));
  }

  /** Volumes and env of a step that runs; close() removes secret files and unmounts sources. */
  static final class Prepared implements AutoCloseable {
    private final List<String> env;
    private final List<Volume> volumes = new ArrayList<>();
    private final List<SourceRootfs> sources = new ArrayList<>();
    private final List<CacheMountLock> locks = new ArrayList<>();
    private Path secretDir;

    Prepared(List<String> env) {
      this.env = env;
    }

    List<String> env() {
      return env;
    }

    List<Volume> volumes() {
      return volumes;
    }

    @Override
    public void close() throws IOException {
      IOException failure = null;
      for (SourceRootfs src : sources) {
        try {
          src.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      sources.clear();
      for (CacheMountLock l : locks) {
        try {
          l.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      locks.clear();
      if (secretDir != null) {
        Whiteouts.deleteTree(secretDir);
        secretDir = null;
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
