package dev.jbuild.store.registry;

import dev.jbuild.store.digest.DigestAlgorithm;
import java.security.MessageDigest;

/**
 * Gets the JIT to compile SHA-256 early. A short command hashes a large layer with cold code:
 * until C2 has compiled the digest loop (whose intrinsic uses the CPU's SHA instructions), the
 * first tens of MiB go through the interpreter and profiled C1 code at a fraction of the speed.
 * Hashing a few MiB on a background thread while the manifest is fetched moves that compile
 * ahead of the first layer's bytes.
 */
final class DigestWarmup {
  private static final int BLOCK = 64 << 10;
  private static final int ROUNDS = 64;
  private static volatile boolean started;

  private DigestWarmup() {}

  /** Starts the warm-up once per process, on a daemon thread of low priority. */
  static void start() {
    if (started || Boolean.getBoolean("jbuild.noDigestWarmup")) {
      return;
    }
    started = true;
    Thread t = new Thread(DigestWarmup::run, "jbuild-digest-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void run() {
    MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
    byte[] block = new byte[BLOCK];
    for (int i = 0; i < ROUNDS; i++) {
      md.update(block, 0, BLOCK);
    }
    md.digest();
  }
}
