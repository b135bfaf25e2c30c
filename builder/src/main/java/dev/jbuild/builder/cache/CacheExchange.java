package dev.jbuild.builder.cache;

import java.util.List;
import java.util.Objects;

/**
 * The caches a build imports ({@code --cache-from}, in order) and exports ({@code --cache-to}).
 *
 * @param from caches whose records are added to the local cache as remote records
 * @param to caches written after a successful build
 */
public record CacheExchange(List<CacheTransport> from, List<Export> to) {
  /** No import, no export. */
  public static final CacheExchange NONE = new CacheExchange(List.of(), List.of());

  /** An export: where, and whether every step of every stage ({@code max}) or the final stage's steps only. */
  public record Export(CacheTransport to, boolean max) {
    public Export {
      Objects.requireNonNull(to, "to");
    }
  }

  public CacheExchange {
    from = List.copyOf(from);
    to = List.copyOf(to);
  }
}
