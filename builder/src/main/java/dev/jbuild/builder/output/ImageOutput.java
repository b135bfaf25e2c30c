package dev.jbuild.builder.output;

import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.exec.Snapshots;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.archive.DockerArchive;
import dev.jbuild.store.archive.OciArchive;
import dev.jbuild.store.archive.SavedImage;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Writes a built image out of the store. {@link Spec#parse} reads the {@code --output} value:
 * {@code type=oci,dest=DIR|FILE} (a directory when DEST is an existing directory or ends with {@code /}, else
 * a tar), {@code type=docker,dest=FILE} (docker's archive format, which {@code docker load} and {@code
 * podman load} read), {@code type=tar,dest=FILE} (the root filesystem).
 */
public final class ImageOutput {
  /** The kinds of output. */
  public enum Type { OCI, DOCKER, TAR }

  /** A parsed {@code --output} value. */
  public record Spec(Type type, Path dest, boolean directory) {
    public static Spec parse(String text, Path cwd) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String part : text.split(",")) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new JbuildException("invalid --output \"" + text + "\": want type=oci|docker|tar,dest=PATH");
        }
        kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
      String type = kv.getOrDefault("type", "");
      String dest = kv.get("dest");
      if (dest == null || dest.isEmpty()) {
        throw new JbuildException("invalid --output \"" + text + "\": dest= is required");
      }
      Type t = switch (type) {
        case "oci" -> Type.OCI;
        case "docker" -> Type.DOCKER;
        case "tar" -> Type.TAR;
        default -> throw new JbuildException("invalid --output \"" + text + "\": unknown type \"" + type
            + "\" (oci, docker or tar)");
      };
      Path p = cwd.resolve(dest);
      return new Spec(t, p, dest.endsWith("/") || Files.isDirectory(p));
    }
  }

  private final Store store;

  public ImageOutput(Store store) {
    this.store = store;
  }

  /** Writes {@code result} as {@code spec} says; {@code names} become ref names (OCI) or RepoTags (docker). */
  public void write(BuildResult result, Spec spec, List<String> names) throws IOException {
    switch (spec.type()) {
      case OCI -> {
        if (spec.directory()) {
          writeLayoutDir(result, spec.dest(), names);
        } else {
          writeTar(result, spec.dest(), names, false);
        }
      }
      case DOCKER -> writeTar(result, spec.dest(), names, true);
      case TAR -> writeRootfs(result, spec.dest());
    }
  }

  /** One archive entry per name (OCI ref names / docker RepoTags), or one unnamed entry. */
  private static List<SavedImage> saved(BuildResult r, List<String> names) {
    List<SavedImage> images = new ArrayList<>();
    for (String n : names) {
      images.add(new SavedImage(Optional.of(ImageRef.parse(n)), r.manifest()));
    }
    if (images.isEmpty()) {
      images.add(new SavedImage(Optional.empty(), r.manifest()));
    }
    return images;
  }

  private void writeLayoutDir(BuildResult r, Path dir, List<String> names) throws IOException {
    new OciArchive(store).writeDirectory(saved(r, names), dir);
  }

  /** The store's archive writers, into a temp file renamed over the destination when complete. */
  private void writeTar(BuildResult r, Path file, List<String> names, boolean docker) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".jbuild-out-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        if (docker) {
          new DockerArchive(store).write(saved(r, names), out);
        } else {
          new OciArchive(store).write(saved(r, names), out);
        }
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The image's root filesystem as one plain tar: a read-only overlay of its snapshots, written by the layer writer. */
  private void writeRootfs(BuildResult r, Path file) throws IOException {
    Snapshots snaps = new Snapshots(store.blobs(), new SnapshotStore(store.root().path()));
    List<Path> lowers = snaps.lowers(r.layers(), r.config().rootfs().diffIds());
    Path work = dev.jbuild.store.TempFiles.createDirectory(store.root().tmp(), "output-");
    try {
      dev.jbuild.builder.exec.BuildReaper.markOwner(work);
      Path root;
      Optional<OverlayMount> mount = Optional.empty();
      if (lowers.size() >= 2) {
        root = Files.createDirectory(work.resolve("rootfs"));
        mount = Optional.of(OverlayMount.mount(OverlayOptions.readOnly(lowers), root));
      } else if (lowers.size() == 1) {
        root = lowers.get(0);
      } else {
        root = Files.createDirectory(work.resolve("rootfs"));
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        LayerWriter.write(root, out, LayerOptions.defaults().withCompression(Compression.NONE));
      } finally {
        if (mount.isPresent()) {
          mount.get().close();
        }
      }
    } finally {
      Whiteouts.deleteTree(work);
    }
  }
}
