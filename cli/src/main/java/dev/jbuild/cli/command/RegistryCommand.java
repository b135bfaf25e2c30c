package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.option.RegistryOptions;
import dev.jbuild.store.registry.Registries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * A store command that talks to registries: reads the jbuild config file ({@code $JBUILD_CONFIG},
 * else {@code <root>/config.json}) for mirrors and insecure registries, adds the command line's,
 * and takes credentials from docker's config ({@code $DOCKER_CONFIG}, else {@code ~/.docker}).
 */
abstract class RegistryCommand extends StoreCommand {
  @Mixin RegistryOptions registryOptions;

  RegistryCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  /** The registry clients, with {@code registry} insecure (see {@link RegistryOptions}) when --tls-verify=false. */
  Registries registries(String registry) throws IOException {
    List<String> insecure = new ArrayList<>(registryOptions.insecureRegistries);
    if (!registryOptions.tlsVerify) {
      insecure.add(registry);
    }
    return Registries.forEnvironment(ctx.env(), storeRoot(), insecure);
  }
}
