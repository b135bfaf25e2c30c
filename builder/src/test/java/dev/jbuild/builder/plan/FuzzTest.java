package dev.jbuild.builder.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jbuild.builder.instruction.InstructionParser;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.Node;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.store.testing.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: any mutation of a conformance Buildfile (characters deleted, duplicated or inserted,
 * text truncated) parses, types, plans and checks into a result or a located {@link
 * BuildfileException}, never another exception, and within a bounded time. Seeded, so a failure can
 * be replayed from the printed seed and input.
 */
class FuzzTest {
  static final long SEED = Long.getLong("jbuild.fuzz.seed", 20261122L);
  static final int MUTANTS_PER_FILE = Integer.getInteger("jbuild.fuzz.mutants", 150);
  static final String INTERESTING =
      "\\`\n\r\t \"'[]{}<<-=$#,:/-0123456789aZ@\u00e9\u2028\u00a0\uFEFF";
  static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fuzz");
              t.setDaemon(true);
              return t;
            });
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  static List<String> seeds() throws IOException {
    Path dir = Shared.conformance("buildkit-parser");
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p :
          s.filter(p -> p.getFileName().toString().endsWith("Dockerfile")).sorted().toList()) {
        out.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources"))) {
      for (Path p :
          s.filter(p -> p.getFileName().toString().equals("Buildfile")).sorted().toList()) {
        out.add(Files.readString(p));
      }
    }
    return out;
  }

  static String mutate(String s, Random r) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + r.nextInt(6);
    for (int e = 0; e < edits; e++) {
      int pos = sb.isEmpty() ? 0 : r.nextInt(sb.length() + 1);
      switch (r.nextInt(5)) {
        case 0 -> {
          if (pos < sb.length()) {
            sb.deleteCharAt(pos);
          }
        }
        case 1 -> {
          if (pos < sb.length()) {
            int len = Math.min(sb.length() - pos, 1 + r.nextInt(20));
            sb.insert(pos, sb.substring(pos, pos + len));
          }
        }
        case 2 -> sb.insert(pos, INTERESTING.charAt(r.nextInt(INTERESTING.length())));
        case 3 -> sb.setLength(pos);
        default -> sb.insert(pos, (char) r.nextInt(0x3000));
      }
    }
    return sb.toString();
  }

  /** What must hold for one input; returns normally or throws AssertionError. */
  static void property(String text) {
    try {
      ParseResult r = Parser.parse("Buildfile", text);
      for (Node n : r.children()) {
        try {
          InstructionParser.parse(n);
        } catch (BuildfileException e) {
          assertTrue(e.range().isPresent(), "unlocated instruction error: " + e.getMessage());
        }
      }
      try {
        Planner.plan(r, BuildOptions.defaults());
      } catch (BuildfileException e) {
        // a plan error may be about the target (not in the file) but never here: no target given
        assertTrue(e.range().isPresent(), "unlocated plan error: " + e.getMessage());
      }
    } catch (BuildfileException e) {
      assertTrue(e.range().isPresent(), "unlocated parse error: " + e.getMessage());
    }
    CheckReport report = BuildfileChecker.check("Buildfile", text, BuildOptions.defaults());
    report.format();
  }

  @Test
  void mutatedBuildfilesYieldAResultOrALocatedError() throws Exception {
    Random random = new Random(SEED);
    int n = 0;
    for (String seed : seeds()) {
      for (int i = 0; i < MUTANTS_PER_FILE; i++) {
        String input = mutate(seed, random);
        Future<?> f = pool.submit(() -> property(input));
        try {
          f.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          f.cancel(true);
          fail("no result within 5s (seed " + SEED + ") for input:\n" + input);
        } catch (java.util.concurrent.ExecutionException e) {
          AssertionError err =
              new AssertionError("seed " + SEED + ", input:\n" + input, e.getCause());
          throw err;
        }
        n++;
      }
    }
    assertTrue(n > 1000, "too few inputs: " + n);
  }
}
