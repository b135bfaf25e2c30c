package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.option.StoreOptions;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that works on the store: opens it from --root, $JBUILD_ROOT or the default. */
abstract class StoreCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;

  final Jbuild.Context ctx;

  StoreCommand(Jbuild.Context ctx) {
    this.ctx = ctx;
  }

  Store openStore() throws IOException {
    return Store.open(storeRoot());
  }

  StoreRoot storeRoot() {
    String home = ctx.env().getOrDefault("HOME", System.getProperty("user.home"));
    return StoreRoot.resolve(storeOptions.root, ctx.env(), StoreRoot.isEffectiveRoot(), Path.of(home));
  }

  @Override
  public final Integer call() throws Exception {
    reapDeadContainers();
    int code = run();
    ctx.out().flush();
    return code;
  }

  abstract int run() throws Exception;

  /**
   * Finishes off what dead containers left (a foreground {@code run} killed with SIGKILL, a detached
   * container whose process ended): every command does it first. Costs one directory listing when
   * there are no containers. A failure is reported and does not stop the command.
   */
  void reapDeadContainers() {
    StoreRoot root = storeRoot();
    if (!hasContainers(root)) {
      return;
    }
    try {
      new dev.jbuild.runtime.Runtime(dev.jbuild.runtime.RuntimeConfig.defaults(root.path(), ctx.env())).reap();
    } catch (IOException | RuntimeException e) {
      ctx.err().println("jbuild: warning: cleaning up dead containers: " + e.getMessage());
      ctx.err().flush();
    }
  }

  static boolean hasContainers(StoreRoot root) {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(root.containers())) {
      return s.anyMatch(p -> !p.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      return false;
    }
  }
}
