package dev.jbuild.cli.option;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --root}: where the store lives (else $JBUILD_ROOT, else the default for the user). */
public final class StoreOptions {
  @Option(names = "--root", paramLabel = "DIR", description = "Store root (default: $JBUILD_ROOT, /var/lib/jbuild as root).")
  public Path root;
}
