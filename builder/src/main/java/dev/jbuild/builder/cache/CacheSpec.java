package dev.jbuild.builder.cache;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.registry.Registries;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a build cache is exported to or imported from, as given to {@code --cache-to} / {@code --cache-from}:
 * an OCI image layout directory or an image reference in a registry.
 */
public sealed interface CacheSpec {
  /** An OCI image layout directory. */
  record Local(Path dir) implements CacheSpec {
    public Local {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /** A cache image pushed to (or pulled from) {@code ref}. */
  record Registry(String ref) implements CacheSpec {
    public Registry {
      if (ref == null || ref.isBlank()) {
        throw new IllegalArgumentException("a registry cache needs ref=");
      }
    }
  }

  /** Opens this cache; {@code registries} is asked for only by a registry cache. */
  default CacheTransport open(Supplier<Registries> registries) {
    return switch (this) {
      case Local l -> new LocalCacheTransport(l.dir());
      case Registry r -> new RegistryCacheTransport(registries.get(), ImageRef.parse(r.ref()));
    };
  }

  /** An export: where, and whether every step of every stage ({@code mode=max}) or the final stage's only. */
  record Export(CacheSpec to, boolean max) {
    public Export {
      Objects.requireNonNull(to, "to");
    }
  }

  /** Thrown for a {@code --cache-to} / {@code --cache-from} value that cannot be understood. */
  final class BadCacheSpecException extends JbuildException {
    public BadCacheSpecException(String message) {
      super(message);
    }
  }

  /** Parses a {@code --cache-from} value: {@code type=local,src=DIR} or {@code type=registry,ref=REF}. */
  static CacheSpec parseFrom(String text) {
    Map<String, String> kv = fields(text);
    return spec(kv, "src", text);
  }

  /** Parses a {@code --cache-to} value: {@code type=local,dest=DIR[,mode=min|max]} or {@code type=registry,ref=REF[,mode=..]}. */
  static Export parseTo(String text) {
    Map<String, String> kv = fields(text);
    String mode = kv.getOrDefault("mode", "min");
    if (!mode.equals("min") && !mode.equals("max")) {
      throw new BadCacheSpecException("cache mode must be min or max: " + text);
    }
    return new Export(spec(kv, "dest", text), mode.equals("max"));
  }

  private static CacheSpec spec(Map<String, String> kv, String dirKey, String text) {
    String type = kv.getOrDefault("type", kv.containsKey("ref") ? "registry" : "");
    return switch (type) {
      case "local" -> {
        String d = kv.get(dirKey);
        if (d == null || d.isEmpty()) {
          throw new BadCacheSpecException("a local cache needs " + dirKey + "=DIR: " + text);
        }
        yield new Local(Path.of(d));
      }
      case "registry" -> {
        String r = kv.get("ref");
        if (r == null || r.isEmpty()) {
          throw new BadCacheSpecException("a registry cache needs ref=REF: " + text);
        }
        yield new Registry(r);
      }
      default -> throw new BadCacheSpecException("unsupported cache type (local or registry): " + text);
    };
  }

  private static Map<String, String> fields(String text) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        // as BuildKit, a bare value is a registry reference
        if (!part.isBlank() && text.indexOf('=') < 0) {
          kv.put("ref", part.trim());
          continue;
        }
        throw new BadCacheSpecException("expected key=value in cache option: " + text);
      }
      kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return kv;
  }
}
