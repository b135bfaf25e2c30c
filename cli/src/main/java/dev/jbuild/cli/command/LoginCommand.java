package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.registry.ClientOptions;
import dev.jbuild.store.registry.CredentialStore;
import dev.jbuild.store.registry.Credentials;
import dev.jbuild.store.registry.RegistryClient;
import dev.jbuild.store.registry.RegistryConfig;
import dev.jbuild.store.registry.RegistryEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild login -u USER (-p PASS | --password-stdin) [REGISTRY]}: checks the credentials
 * against the registry, then stores them in docker's config file ({@code $DOCKER_CONFIG/config.json},
 * else {@code ~/.docker/config.json}) or its credential helper, where docker, podman and skopeo find them too.
 */
@Command(name = "login", description = "Log in to a registry (credentials go to docker's config.json).")
public final class LoginCommand extends RegistryCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "REGISTRY", description = "Registry host[:port] (default docker.io).")
  String registry = RegistryEndpoint.DOCKER_HUB;

  @Option(names = {"-u", "--username"}, paramLabel = "USER")
  String username;

  @Option(names = {"-p", "--password"}, paramLabel = "PASS", description = "Password (visible to other users in ps; prefer --password-stdin).")
  String password;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  public LoginCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("login: a username is required (-u USER); jbuild does not prompt");
    }
    if (password != null && passwordStdin) {
      throw new IllegalArgumentException("login: --password and --password-stdin are mutually exclusive");
    }
    String secret = password;
    if (passwordStdin) {
      // the process's own stdin: Context carries no input stream, and only a real process has one to give
      secret = new String(System.in.readNBytes(1 << 16), StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("login: a password is required (-p PASS or --password-stdin)");
    }
    String host = normalize(registry);
    List<String> insecure = new ArrayList<>(registryOptions.insecureRegistries);
    if (!registryOptions.tlsVerify) {
      insecure.add(host);
    }
    RegistryEndpoint endpoint = RegistryConfig.load(RegistryConfig.locate(ctx.env(), storeRoot())).withInsecure(insecure).endpoint(host);
    Credentials creds = Credentials.basic(username, secret);
    try (RegistryClient client = new RegistryClient(endpoint, r -> Optional.of(creds), ClientOptions.defaults())) {
      client.ping();
    }
    CredentialStore.fromEnvironment(ctx.env()).login(host, username, secret);
    ctx.out().println("Login Succeeded!");
    return 0;
  }

  /** {@code https://host:port/v2/} and similar as users paste them: the host and port only. */
  static String normalize(String registry) {
    String r = registry.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = r.indexOf('/');
    return slash < 0 ? r : r.substring(0, slash);
  }
}
