package dev.jbuild.store.archive;

import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.ref.ImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads an image archive of any supported kind into a store ({@code jbuild load}): an OCI layout
 * as a tar or a directory, or a docker archive (legacy or docker 25+), each possibly gzip- or
 * zstd-compressed.
 *
 * <p>Which format: an archive with {@code oci-layout} and {@code index.json} is read as an OCI
 * layout, which keeps manifests byte for byte; with {@code manifest.json} as a docker archive.
 * Docker 25+ writes both. Then the OCI reading wins when {@code index.json} names every image (a
 * full {@code ref.name}, or a bare tag plus {@code io.containerd.image.name}, as docker writes);
 * otherwise {@code manifest.json} wins if it has {@code RepoTags}, so the images get their names.
 *
 * <p>Nothing is tagged before every listed image is known complete and verified; a failing load
 * leaves at most unreferenced blobs behind.
 */
public final class ArchiveLoader {
  private final Store store;

  public ArchiveLoader(Store store) {
    this.store = store;
  }

  /** An image found complete in an archive, waiting to be listed in the store under its names. */
  record Planned(Descriptor descriptor, Digest id, List<ImageRef> names, List<String> notes) {}

  /** Loads a file (a tar, possibly compressed) or an OCI layout directory. */
  public LoadResult load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return new OciArchive(store).readDirectory(path);
    }
    try (InputStream in = Files.newInputStream(path)) {
      return load(in);
    }
  }

  /** Loads an archive read from a stream (which the caller closes). */
  public LoadResult load(InputStream in) throws IOException {
    ArchiveIngest ingest = ArchiveIngest.read(store, in);
    boolean oci = ingest.json("index.json").isPresent() && ingest.json("oci-layout").isPresent();
    boolean docker = ingest.json("manifest.json").isPresent();
    if (oci) {
      List<Planned> plan = OciArchive.plan(store, ingest);
      boolean allNamed = plan.stream().allMatch(p -> !p.names().isEmpty());
      if (docker && !allNamed && DockerArchive.hasRepoTags(ingest)) {
        return apply(store, ArchiveFormat.DOCKER_ARCHIVE, DockerArchive.plan(store, ingest));
      }
      return apply(store, ArchiveFormat.OCI_ARCHIVE, plan);
    }
    if (docker) {
      return apply(store, ArchiveFormat.DOCKER_ARCHIVE, DockerArchive.plan(store, ingest));
    }
    if (ingest.hasBlobs()) {
      throw new ArchiveException(ingest.json("index.json").isPresent() ? "oci-layout" : "index.json",
          "missing from the archive, which has blobs (truncated?)");
    }
    throw new ArchiveException("archive", "not an image archive: it has neither index.json and oci-layout "
        + "(OCI layout) nor manifest.json (docker archive)");
  }

  /** Lists the planned images in the store: only called once every one of them is complete. */
  static LoadResult apply(Store store, ArchiveFormat format, List<Planned> plan) throws IOException {
    List<LoadedImage> loaded = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Planned p : plan) {
      if (p.names().isEmpty()) {
        store.layout().add(p.descriptor());
      }
      for (ImageRef name : p.names()) {
        store.layout().tag(name, p.descriptor());
      }
      loaded.add(new LoadedImage(p.descriptor(), p.id(), p.names()));
      notes.addAll(p.notes());
    }
    return new LoadResult(format, loaded, notes);
  }
}
