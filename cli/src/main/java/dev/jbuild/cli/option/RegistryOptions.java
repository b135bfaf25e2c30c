package dev.jbuild.cli.option;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to reach registries: {@code --tls-verify=false} and {@code --insecure-registry HOST}, as
 * podman and skopeo: HTTPS without verifying the certificate, or plain HTTP when the host does not
 * speak TLS.
 */
public final class RegistryOptions {
  @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Verify the TLS certificate of the registry (of every registry, for build); false: HTTPS "
          + "without verification, or plain HTTP when the registry does not speak TLS (default true; loopback "
          + "hosts are plain HTTP unless listed as insecure).")
  public boolean tlsVerify = true;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Reach this registry over HTTPS without verifying its certificate, or over plain HTTP when "
          + "it does not speak TLS (repeatable; also \"insecure-registries\" in the config file).")
  public List<String> insecureRegistries = new ArrayList<>();
}
