package dev.jbuild.builder.output;

import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.exec.Snapshots;
import dev.jbuild.runtime.overlay.OverlayMount;
import dev.jbuild.runtime.overlay.OverlayOptions;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.layer.Compression;
import dev.jbuild.store.layer.LayerOptions;
import dev.jbuild.store.layer.LayerWriter;
import dev.jbuild.store.layer.Whiteouts;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a built image out of the store. {@link Spec#parse} reads the {@code --output} value:
 * {@code type=oci,dest=DIR|FILE} (a directory when DEST is an existing directory or ends with {@code /}, else
 * a tar), {@code type=docker,dest=FILE} (a tar with an OCI layout plus docker's {@code manifest.json}, which
 * {@code docker load} and {@code podman load} read), {@code type=tar,dest=FILE} (the root filesystem).
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

  private List<Descriptor> blobs(BuildResult r) throws IOException {
    Manifest m = OciJson.read(store.blobs().readAll(r.manifest().digest(), OciJson.MAX_BYTES), Manifest.class);
    List<Descriptor> all = new ArrayList<>();
    all.add(r.manifest());
    all.add(m.config());
    all.addAll(m.layers());
    return all;
  }

  private static byte[] index(BuildResult r, List<String> names) {
    List<Descriptor> ms = new ArrayList<>();
    if (names.isEmpty()) {
      ms.add(r.manifest());
    }
    for (String n : names) {
      ms.add(r.manifest().withAnnotations(Map.of("org.opencontainers.image.ref.name", n)));
    }
    return OciJson.write(Index.of(ms));
  }

  private static final byte[] LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private void writeLayoutDir(BuildResult r, Path dir, List<String> names) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    for (Descriptor d : blobs(r)) {
      Path target = dir.resolve("blobs/sha256").resolve(d.digest().hex());
      if (!Files.exists(target)) {
        Files.copy(store.blobs().path(d.digest()), target);
      }
    }
    Files.write(dir.resolve("oci-layout"), LAYOUT);
    Files.write(dir.resolve("index.json"), index(r, names));
  }

  private void writeTar(BuildResult r, Path file, List<String> names, boolean docker) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Path tmp = Files.createTempFile(file.getParent() == null ? Path.of(".") : file.getParent(), ".jbuild-out-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        dir(tar, "blobs/");
        dir(tar, "blobs/sha256/");
        List<Descriptor> all = blobs(r);
        for (Descriptor d : all) {
          TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + d.digest().hex());
          e.setSize(store.blobs().size(d.digest()));
          e.setMode(0644);
          e.setModTime(0);
          tar.putArchiveEntry(e);
          try (InputStream in = store.blobs().open(d.digest())) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
        }
        file(tar, "oci-layout", LAYOUT);
        file(tar, "index.json", index(r, names));
        if (docker) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("Config", "blobs/sha256/" + all.get(1).digest().hex());
          m.put("RepoTags", names);
          m.put("Layers", all.subList(2, all.size()).stream().map(d -> "blobs/sha256/" + d.digest().hex()).toList());
          file(tar, "manifest.json", OciJson.write(List.of(m)));
        }
        tar.finish();
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(0644);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** The image's root filesystem as one plain tar: a read-only overlay of its snapshots, written by the layer writer. */
  private void writeRootfs(BuildResult r, Path file) throws IOException {
    Snapshots snaps = new Snapshots(store.blobs(), new SnapshotStore(store.root().path()));
    List<Path> lowers = snaps.lowers(r.layers(), r.config().rootfs().diffIds());
    Path work = Files.createTempDirectory(store.root().tmp(), "output-");
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
