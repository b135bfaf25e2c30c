package dev.jbuild.cli.command;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.ref.ImageRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry forms of {@code build --output}, as docker's: {@code type=registry,name=REF} pushes
 * the image to REF without naming it in the store; {@code type=image,name=REF[,push=true]} names it
 * REF in the store, and pushes it there too with {@code push=true}.
 *
 * @param keepTag whether the store names the image {@code name}
 * @param push whether the image is pushed to {@code name}
 */
record RegistryOutput(ImageRef name, boolean keepTag, boolean push) {
  /** The registry output {@code text} describes, or empty for the other types (oci, docker, tar). */
  static Optional<RegistryOutput> parse(String text) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    String type = kv.getOrDefault("type", "");
    if (!type.equals("registry") && !type.equals("image")) {
      return Optional.empty();
    }
    String name = kv.get("name");
    if (name == null || name.isEmpty()) {
      throw new JbuildException("invalid --output \"" + text + "\": name= is required for type=" + type);
    }
    for (String key : kv.keySet()) {
      if (!key.equals("type") && !key.equals("name") && !key.equals("push")) {
        throw new JbuildException("invalid --output \"" + text + "\": unknown key \"" + key + "\" for type=" + type
            + " (name, push)");
      }
    }
    String push = kv.getOrDefault("push", type.equals("registry") ? "true" : "false");
    if (!push.equals("true") && !push.equals("false")) {
      throw new JbuildException("invalid --output \"" + text + "\": push= wants true or false");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(name);
    } catch (JbuildException e) {
      throw new JbuildException("invalid --output \"" + text + "\": name: " + e.getMessage(), e);
    }
    if (ref.digest().isPresent()) {
      throw new JbuildException("invalid --output \"" + text + "\": name must be a tag, not a digest");
    }
    return Optional.of(new RegistryOutput(ref, type.equals("image"), push.equals("true")));
  }
}
