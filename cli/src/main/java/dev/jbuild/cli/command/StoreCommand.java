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
    int code = run();
    ctx.out().flush();
    return code;
  }

  abstract int run() throws Exception;
}
