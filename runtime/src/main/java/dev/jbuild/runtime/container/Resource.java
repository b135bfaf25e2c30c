package dev.jbuild.runtime.container;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.jbuild.runtime.net.Attachment;
import java.nio.file.Path;

/**
 * A host resource a container holds, as recorded in its ledger. Releasing each kind is idempotent and
 * works for one whose acquisition never finished.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Resource.OverlayRootfs.class, name = "overlay"),
    @JsonSubTypes.Type(value = Resource.PinnedNetNs.class, name = "netns"),
    @JsonSubTypes.Type(value = Resource.CniAttachment.class, name = "cni"),
    @JsonSubTypes.Type(value = Resource.RuncContainer.class, name = "runc"),
    @JsonSubTypes.Type(value = Resource.Directory.class, name = "dir")})
public sealed interface Resource {
  /** An overlay mounted at {@code target}; released by unmounting. */
  record OverlayRootfs(Path target) implements Resource {}

  /** A netns pinned at {@code file}; released by unmounting and deleting the file. */
  record PinnedNetNs(Path file) implements Resource {}

  /** A CNI attachment; released by CNI DEL. */
  record CniAttachment(Attachment attachment) implements Resource {}

  /**
   * A container in the OCI runtime's state root; released by a forced delete. {@code runtimePid} and
   * {@code runtimeStart} (epoch ms) name the {@code runc run} process of a foreground container once it
   * is spawned (null before, and for detached containers), so that a reaper can wait for a runc its
   * killed owner left still creating the container before deleting it.
   */
  record RuncContainer(String id, Path root, Long runtimePid, Long runtimeStart) implements Resource {
    public RuncContainer(String id, Path root) {
      this(id, root, null, null);
    }
  }

  /** A scratch directory; released by deleting it recursively (never across a mount). */
  record Directory(Path path) implements Resource {}
}
