package dev.jbuild.store.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a client logs in with: a user name and password, or an identity token (an OAuth2 refresh
 * token, as {@code docker login} stores for some registries). {@link #toString} hides the secrets.
 */
public record Credentials(String username, String password, String identityToken) {
  public Credentials {
    boolean basic = username != null && !username.isEmpty() && password != null;
    boolean token = identityToken != null && !identityToken.isEmpty();
    if (!basic && !token) {
      throw new IllegalArgumentException("credentials need a user name and password, or an identity token");
    }
  }

  public static Credentials basic(String username, String password) {
    return new Credentials(username, password, null);
  }

  public static Credentials identityToken(String token) {
    return new Credentials(null, null, token);
  }

  /** True when a user name and password are present. */
  public boolean hasPassword() {
    return username != null && password != null;
  }

  /** The value of an {@code Authorization: Basic} header. */
  public String basicHeader() {
    if (!hasPassword()) {
      throw new IllegalStateException("[internal error] basic auth without a password");
    }
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return hasPassword() ? "Credentials[" + username + ":***]" : "Credentials[identity token]";
  }
}
