package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.option.RegistryOptions;
import dev.jbuild.cli.option.StoreOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** push's and pull's fast argument parsers agree with picocli's, and leave the odd cases to it. */
class FastArgsTest {
  private static final PrintWriter NULL = new PrintWriter(Writer.nullWriter());
  private static final Jbuild.Context CTX = new Jbuild.Context(NULL, NULL, Map.of());

  @Test
  void everyOptionIsKnownToTheFastParsers() {
    everyOptionKnown(PushCommand.class, PushCommand.FAST);
    everyOptionKnown(PullCommand.class, PullCommand.FAST);
  }

  private static void everyOptionKnown(Class<?> command, FastArgs.Grammar g) {
    for (Class<?> c : List.of(command, RegistryOptions.class, StoreOptions.class)) {
      for (Field f : c.getDeclaredFields()) {
        Option o = f.getAnnotation(Option.class);
        if (o != null) {
          for (String n : o.names()) {
            assertTrue(g.knows(n), command.getSimpleName() + " " + n);
          }
        }
      }
    }
  }

  @Test
  void pushAgreesWithPicocli() throws Exception {
    agree(PushCommand::parseFast, PushCommand.class, List.of(
        new String[] {"push", "app:1"},
        new String[] {"push", "-q", "app:1", "127.0.0.1:5000/team/app:1"},
        new String[] {"push", "app:1", "r:5000/app", "--quiet", "--digestfile", "/tmp/d", "--tls-verify=false",
            "--insecure-registry", "r:5000", "--insecure-registry=s:1", "--root", "/tmp/r"},
        new String[] {"push", "--digestfile=/tmp/d", "--tls-verify=TRUE", "--root=/r", "app"}));
  }

  @Test
  void pullAgreesWithPicocli() throws Exception {
    agree(PullCommand::parseFast, PullCommand.class, List.of(
        new String[] {"pull", "busybox"},
        new String[] {"pull", "-q", "127.0.0.1:5000/team/app@sha256:" + "a".repeat(64)},
        new String[] {"pull", "--platform", "linux/arm64/v8", "--quiet", "r:5000/app:1", "--tls-verify=false",
            "--insecure-registry", "r:5000", "--root", "/tmp/r"},
        new String[] {"pull", "--platform=linux/arm64", "--insecure-registry=r", "app"}));
  }

  @Test
  void oddCasesGoToPicocli() {
    for (String[] args : List.of(new String[] {"push"}, new String[] {"push", "--help"}, new String[] {"push", "-h", "a"},
        new String[] {"push", "a", "b", "c"}, new String[] {"push", "--bogus", "a"}, new String[] {"push", "--tls-verify", "a"},
        new String[] {"push", "--tls-verify=maybe", "a"}, new String[] {"push", "-q=true", "a"}, new String[] {"push", "--quiet=1", "a"},
        new String[] {"push", "--digestfile", "-q", "a"}, new String[] {"push", "a", "--digestfile"},
        new String[] {"push", "--debug", "a"}, new String[] {"push", "--", "a"}, new String[] {"push", "-qq", "a"},
        new String[] {"push", "-", "a"})) {
      assertEquals(Optional.empty(), PushCommand.parseFast(CTX, args), String.join(" ", args));
    }
    for (String[] args : List.of(new String[] {"pull"}, new String[] {"pull", "a", "b"}, new String[] {"pull", "--platform"},
        new String[] {"pull", "--platform", "-q", "a"}, new String[] {"pull", "--help"}, new String[] {"pull", "--tls-verify", "a"},
        new String[] {"pull", "--debug", "a"}, new String[] {"pull", "-x", "a"}, new String[] {"push", "a"})) {
      assertEquals(Optional.empty(), PullCommand.parseFast(CTX, args), String.join(" ", args));
    }
    assertEquals(Optional.empty(), PushCommand.parseFast(CTX, new String[] {"pull", "a"}));
  }

  private static <C> void agree(BiFunction<Jbuild.Context, String[], Optional<C>> fastParse, Class<C> type,
      List<String[]> cases) throws Exception {
    for (String[] args : cases) {
      Optional<C> fast = fastParse.apply(CTX, args);
      assertTrue(fast.isPresent(), String.join(" ", args));
      CommandLine.ParseResult pr = Jbuild.commandLine(NULL, NULL, Map.of()).parseArgs(args);
      Object slow = pr.subcommand().commandSpec().userObject();
      assertEquals(fields(type, slow), fields(type, fast.get()), String.join(" ", args));
    }
  }

  private static Map<String, String> fields(Class<?> type, Object c) throws IllegalAccessException {
    Map<String, String> m = new TreeMap<>();
    for (Field f : type.getDeclaredFields()) {
      if (f.getAnnotation(Option.class) != null || f.getAnnotation(CommandLine.Parameters.class) != null) {
        f.setAccessible(true);
        m.put(f.getName(), String.valueOf(f.get(c)));
      }
    }
    RegistryCommand r = (RegistryCommand) c;
    m.put("root", String.valueOf(r.storeOptions.root));
    m.put("tlsVerify", String.valueOf(r.registryOptions.tlsVerify));
    m.put("insecureRegistries", String.valueOf(r.registryOptions.insecureRegistries));
    return m;
  }
}
