package dev.jbuild.store.snapshot;

import dev.jbuild.store.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity of a stack of layers, as the image spec defines it: the first layer's chain id is
 * its diffID, and each next one is {@code sha256(parent + " " + diffID)} over the digest strings.
 * It names a snapshot, because a layer applied over different parents gives different trees.
 *
 * <p>{@code ChainId.parse(c.toString()).equals(c)} always holds.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md#layer-chainid">config.md, ChainID</a>
 */
public record ChainId(Digest digest) {
  public ChainId {
    if (digest == null) {
      throw new IllegalArgumentException("chain id needs a digest");
    }
  }

  /** The chain id of a single (bottom) layer: its diffID. */
  public static ChainId of(Digest diffId) {
    return new ChainId(diffId);
  }

  /** The chain id of the whole stack of diffIDs, bottom first. */
  public static ChainId of(List<Digest> diffIds) {
    List<ChainId> all = chain(diffIds);
    return all.get(all.size() - 1);
  }

  /** The chain id of every prefix of the stack: element i names layers 0..i. */
  public static List<ChainId> chain(List<Digest> diffIds) {
    if (diffIds.isEmpty()) {
      throw new IllegalArgumentException("a chain needs at least one layer");
    }
    List<ChainId> out = new ArrayList<>(diffIds.size());
    ChainId c = of(diffIds.get(0));
    out.add(c);
    for (Digest d : diffIds.subList(1, diffIds.size())) {
      c = c.then(d);
      out.add(c);
    }
    return out;
  }

  /** The chain id of this stack with one more layer on top. */
  public ChainId then(Digest diffId) {
    return new ChainId(Digest.of((digest + " " + diffId).getBytes(StandardCharsets.UTF_8)));
  }

  public static ChainId parse(String s) {
    return new ChainId(Digest.parse(s));
  }

  /** The hex part, which names the snapshot directory. */
  public String hex() {
    return digest.hex();
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
