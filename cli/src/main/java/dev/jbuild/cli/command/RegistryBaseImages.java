package dev.jbuild.cli.command;

import dev.jbuild.builder.BaseImageSource;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import dev.jbuild.store.registry.ImagePuller;
import dev.jbuild.store.registry.PlatformSelector;
import dev.jbuild.store.registry.Registries;
import dev.jbuild.store.registry.TransferListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The base images of one build, pulled from registries for a platform under a {@code --pull}
 * policy. Each reference is pulled at most once per build, also when several stages (running in
 * parallel) name it: with {@code --pull=always} the first stage re-resolves the tag and the others
 * use what it got, so every stage builds on the same image.
 */
final class RegistryBaseImages implements BaseImageSource {
  private final Store store;
  private final Supplier<Registries> registries;
  private final Platform platform;
  private final boolean platformAsked;
  private final Policy policy;
  private final TransferListener progress;
  private final Map<String, CompletableFuture<Image>> pulled = new ConcurrentHashMap<>();

  /**
   * @param platform the platform pulled from multi-platform images; when given ({@code --platform}),
   *     local images of other platforms are pulled again, else they are used as they are
   */
  RegistryBaseImages(Store store, Supplier<Registries> registries, Optional<Platform> platform, Policy policy,
      TransferListener progress) {
    this.store = store;
    this.registries = registries;
    this.platform = platform.orElse(Platform.LINUX_AMD64);
    this.platformAsked = platform.isPresent();
    this.policy = policy;
    this.progress = progress;
  }

  @Override
  public Policy policy() {
    return policy;
  }

  @Override
  public Platform platform() {
    return platform;
  }

  @Override
  public boolean accepts(Image local) {
    String arch = local.config().architecture();
    String os = local.config().os();
    return !platformAsked || arch == null || arch.isEmpty() || os == null || os.isEmpty()
        || PlatformSelector.matches(platform, local.config().platform());
  }

  @Override
  public Image fetch(ImageRef ref) throws IOException {
    return fetch(ref, platform);
  }

  @Override
  public Image fetch(ImageRef ref, Platform wanted) throws IOException {
    if (policy == Policy.NEVER) {
      throw new dev.jbuild.store.image.ImageNotFoundException(ref.familiar() + " (not in the local store; --pull=never)");
    }
    CompletableFuture<Image> mine = new CompletableFuture<>();
    CompletableFuture<Image> first = pulled.putIfAbsent(ref + " " + wanted, mine);
    if (first == null) {
      try {
        mine.complete(new ImagePuller(store, registries.get()).pull(ref, wanted, progress));
      } catch (UncheckedIOException e) {
        mine.completeExceptionally(e.getCause());
      } catch (IOException | RuntimeException | Error e) {
        mine.completeExceptionally(e);
      }
      first = mine;
    }
    try {
      return first.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("waiting for the pull of " + ref.familiar());
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }
}
