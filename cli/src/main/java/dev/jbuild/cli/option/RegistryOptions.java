package dev.jbuild.cli.option;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How to reach registries: {@code --tls-verify=false} and {@code --insecure-registry HOST} (plain HTTP). */
public final class RegistryOptions {
  @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS for the registry of the image (default true; loopback hosts are always plain HTTP).")
  public boolean tlsVerify = true;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Reach this registry over plain HTTP (repeatable; also \"insecure-registries\" in the config file).")
  public List<String> insecureRegistries = new ArrayList<>();
}
