package dev.jbuild.store.archive;

import java.util.List;

/**
 * What a load did: the format it recognised, the images it stored and tagged, and notes for the user
 * (such as an image loaded untagged because its archive gave only a bare tag).
 */
public record LoadResult(ArchiveFormat format, List<LoadedImage> images, List<String> notes) {
  public LoadResult {
    images = List.copyOf(images);
    notes = List.copyOf(notes);
  }
}
