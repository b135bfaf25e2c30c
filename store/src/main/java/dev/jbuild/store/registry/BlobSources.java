package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.oci.JsonTrees;
import dev.jbuild.store.oci.OciFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small per-store record of the registry repositories each blob is known to be in, because it
 * was pulled from or pushed to them: {@code <root>/blob-sources.json}, {@code {"sha256:..":
 * ["127.0.0.1:5000/team/app", ...]}}. A push uses it to ask the registry for a cross-repository
 * mount instead of an upload. It is a hint: a wrong entry costs one refused mount, so a damaged
 * file is read as empty. Entries of blobs that left the store are dropped on the next write.
 */
public final class BlobSources {
  /** Repositories remembered per blob, most recent first. */
  static final int MAX_PER_BLOB = 8;

  private final Store store;
  private final Path file;

  public BlobSources(Store store) {
    this.store = store;
    this.file = store.root().path().resolve("blob-sources.json");
  }

  /** The repositories ({@code registry/repository}) that a blob is known to be in, most recent first. */
  public List<String> repositories(Digest blob) throws IOException {
    List<String> out = new ArrayList<>();
    read().path(blob.toString()).forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * A repository of {@code registry} other than {@code repository} that is known to have the blob,
   * to mount it from.
   */
  public Optional<String> mountSource(Digest blob, String registry, String repository) throws IOException {
    String prefix = registry + "/";
    return repositories(blob).stream()
        .filter(r -> r.startsWith(prefix))
        .map(r -> r.substring(prefix.length()))
        .filter(r -> !r.equals(repository) && !r.isEmpty())
        .findFirst();
  }

  /** Records that these blobs are in {@code registry/repository}. */
  public void record(Collection<Digest> blobs, String registry, String repository) throws IOException {
    String where = registry + "/" + repository;
    store.lock().locked(() -> {
      ObjectNode root = read();
      for (Digest d : blobs) {
        LinkedHashSet<String> repos = new LinkedHashSet<>();
        repos.add(where);
        root.path(d.toString()).forEach(n -> repos.add(n.asText()));
        ArrayNode list = root.putArray(d.toString());
        repos.stream().limit(MAX_PER_BLOB).forEach(list::add);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!stillStored(e.getKey())) {
          it.remove();
        }
      }
      write(JsonTrees.bytes(root));
      return null;
    });
  }

  private boolean stillStored(String digest) {
    try {
      return store.blobs().has(Digest.parse(digest));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private ObjectNode read() throws IOException {
    try {
      JsonNode n = JsonTrees.parse(Files.readAllBytes(file));
      return n instanceof ObjectNode o ? o : JsonTrees.object();
    } catch (NoSuchFileException e) {
      return JsonTrees.object();
    } catch (OciFormatException e) {
      // a hint file only: a damaged one is forgotten, not fatal
      return JsonTrees.object();
    }
  }

  private void write(byte[] content) throws IOException {
    Path temp = dev.jbuild.store.TempFiles.createFile(store.root().tmp(), "blob-sources-", ".partial");
    try {
      Files.write(temp, content);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
