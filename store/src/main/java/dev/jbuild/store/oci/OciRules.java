package dev.jbuild.store.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of the image spec that its JSON schemas do not express but its reference validator
 * enforces: digests of registered algorithms must be lower-case hex of the right length, {@code
 * urls} entries must be absolute URIs, {@code data} must be padded standard base64 (RFC 4648
 * section 4), and every config {@code Env} entry must be {@code KEY=value}.
 *
 * <p>{@link OciJson#read} applies these to every document before binding it, so a document that
 * upstream rejects never becomes a model value. Digests of unregistered algorithms ({@code
 * sha256+b64:...}) pass here, as upstream lets them pass.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">descriptor.md</a>
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">config.md</a>
 */
public final class OciRules {
  // Registered algorithms and the exact encoded form descriptor.md requires for each.
  private static final Map<String, Pattern> REGISTERED = Map.of(
      "sha256", Pattern.compile("[a-f0-9]{64}"),
      "sha384", Pattern.compile("[a-f0-9]{96}"),
      "sha512", Pattern.compile("[a-f0-9]{128}"));
  private static final Pattern ENV = Pattern.compile("[^=]+=.*", Pattern.DOTALL);

  private OciRules() {}

  /**
   * The rule violations in a parsed document of the given media type, each as {@code path: problem};
   * empty when the document is fine. Media types other than config, manifest, index and descriptor
   * get the descriptor rules wherever a descriptor appears.
   */
  public static List<String> violations(MediaType type, JsonNode doc) {
    List<String> out = new ArrayList<>();
    descriptors(doc, "", out);
    if (type.equals(MediaType.OCI_CONFIG) || type.equals(MediaType.DOCKER_CONFIG)) {
      env(doc.path("config").path("Env"), out);
    }
    return out;
  }

  /** Whether an {@code Env} entry has the {@code KEY=value} shape (a non-empty key). */
  public static boolean isEnvEntry(String entry) {
    return entry != null && ENV.matcher(entry).matches();
  }

  /** The problem with a digest string per the registered-algorithm rule, or null when it is fine. */
  public static String digestProblem(String digest) {
    int colon = digest.indexOf(':');
    if (colon <= 0) {
      return "digest \"" + digest + "\" is not algorithm:encoded";
    }
    Pattern p = REGISTERED.get(digest.substring(0, colon));
    if (p != null && !p.matcher(digest.substring(colon + 1)).matches()) {
      return "digest \"" + digest + "\" is not " + digest.substring(0, colon) + " lower-case hex of the right length";
    }
    return null;
  }

  private static void env(JsonNode env, List<String> out) {
    if (!env.isArray()) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      JsonNode e = env.get(i);
      if (e.isTextual() && !isEnvEntry(e.textValue())) {
        out.add("config.Env[" + i + "]: \"" + e.textValue() + "\" is not KEY=value");
      }
    }
  }

  // Descriptors can nest (manifest.config, index.manifests[*], subject), so every object that
  // carries a digest is checked wherever it sits.
  private static void descriptors(JsonNode node, String path, List<String> out) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        descriptors(node.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String at = path.isEmpty() ? "" : path + ".";
    JsonNode digest = node.get("digest");
    if (digest != null && digest.isTextual()) {
      String problem = digestProblem(digest.textValue());
      if (problem != null) {
        out.add(at + "digest: " + problem);
      }
    }
    JsonNode urls = node.get("urls");
    if (digest != null && urls != null && urls.isArray()) {
      for (int i = 0; i < urls.size(); i++) {
        if (urls.get(i).isTextual() && !isAbsoluteUri(urls.get(i).textValue())) {
          out.add(at + "urls[" + i + "]: \"" + urls.get(i).textValue() + "\" is not an absolute URI");
        }
      }
    }
    JsonNode data = node.get("data");
    if (digest != null && data != null && data.isTextual() && !isPaddedBase64(data.textValue())) {
      out.add(at + "data: not padded standard base64");
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (f.getValue().isContainerNode()) {
        descriptors(f.getValue(), at + f.getKey(), out);
      }
    }
  }

  static boolean isAbsoluteUri(String s) {
    try {
      return new URI(s).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** RFC 4648 section 4 with padding: Java's decoder alone also accepts unpadded input. */
  static boolean isPaddedBase64(String s) {
    if (s.length() % 4 != 0) {
      return false;
    }
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
