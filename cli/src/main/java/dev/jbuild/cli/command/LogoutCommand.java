package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.registry.CredentialStore;
import dev.jbuild.store.registry.RegistryEndpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbuild logout [REGISTRY]}: removes the registry's credentials from docker's config.json. */
@Command(name = "logout", description = "Log out of a registry.")
public final class LogoutCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "REGISTRY", description = "Registry host[:port] (default docker.io).")
  String registry = RegistryEndpoint.DOCKER_HUB;

  private final Jbuild.Context ctx;

  public LogoutCommand(Jbuild.Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    String host = LoginCommand.normalize(registry);
    CredentialStore creds = CredentialStore.fromEnvironment(ctx.env());
    if (!creds.logout(host)) {
      throw new JbuildException("logout: not logged in to " + host);
    }
    ctx.out().println("Removed login credentials for " + host);
    ctx.out().flush();
    return 0;
  }
}
