package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.cli.option.RegistryOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** jbuild build's fast argument parser agrees with picocli's, option by option. */
class BuildCommandTest {
  private static final PrintWriter NULL = new PrintWriter(Writer.nullWriter());
  private static final Jbuild.Context CTX = new Jbuild.Context(NULL, NULL, Map.of());

  @Test
  void everyOptionIsKnownToTheFastParser() {
    for (Class<?> c : List.of(BuildCommand.class, RegistryOptions.class)) {
      for (Field f : c.getDeclaredFields()) {
        Option o = f.getAnnotation(Option.class);
        if (o != null) {
          for (String n : o.names()) {
            assertTrue(BuildCommand.FAST_FLAGS.contains(n) || BuildCommand.FAST_VALUED.contains(n)
                || BuildCommand.FAST_OPTIONAL_VALUE.contains(n), n);
          }
        }
      }
    }
  }

  static List<String[]> cases() {
    return List.of(
        new String[] {"build", "."},
        new String[] {"build", "-q", "-f", "/w/Dockerfile", "-t", "w1", "/w"},
        new String[] {"build", "ctx", "-t", "a:1", "--tag=b:2", "--file=Buildfile.x"},
        new String[] {"build", "--build-arg", "A=1", "--build-arg=B", "--target", "final", "--no-cache",
            "--no-cache-filter", "s1,s2", "--no-cache-filter=s3", "--network=none", "--label", "k=v", "--iidfile",
            "/tmp/iid", "--quiet", "--progress", "plain", "-o", "type=oci,dest=/tmp/o", "--secret", "id=s,src=/f",
            "--compression", "zstd", "--squash", "--cache-to", "type=local,dest=/c", "--cache-from=type=local,src=/c",
            "--check", "--pull=never", "--push", "--platform", "linux/arm64", "--tls-verify=false",
            "--insecure-registry", "r:5000", "--root", "/tmp/r", "."},
        new String[] {"build", "--pull=always", "--tls-verify=true", "--output=type=tar,dest=x.tar", "ctx"});
  }

  @Test
  void fastParserAndPicocliAgree() throws Exception {
    for (String[] args : cases()) {
      Optional<BuildCommand> fast = BuildCommand.parseFast(CTX, args);
      assertTrue(fast.isPresent(), String.join(" ", args));
      CommandLine cl = Jbuild.commandLine(NULL, NULL, Map.of());
      CommandLine.ParseResult pr = cl.parseArgs(args);
      BuildCommand slow = (BuildCommand) pr.subcommand().commandSpec().userObject();
      assertEquals(fields(slow), fields(fast.get()), String.join(" ", args));
    }
  }

  @Test
  void fastParserLeavesOddCasesToPicocli() {
    for (String[] args : List.of(new String[] {"build"}, new String[] {"build", "--help"}, new String[] {"build", "-h"},
        new String[] {"build", "--bogus", "."}, new String[] {"build", "--pull", "."}, new String[] {"build", "--pull"},
        new String[] {"build", "--tls-verify", "."}, new String[] {"build", "--tls-verify=maybe", "."},
        new String[] {"build", "--no-cache=true", "."}, new String[] {"build", "-t"}, new String[] {"build", "-t", "-q", "."},
        new String[] {"build", "-qt", "x", "."}, new String[] {"build", "a", "b"}, new String[] {"build", "--", "."},
        new String[] {"build", "--debug", "."}, new String[] {"build", "-t"}, new String[] {"images"},
        new String[] {"run", "bb"})) {
      assertEquals(Optional.empty(), BuildCommand.parseFast(CTX, args), String.join(" ", args));
    }
  }

  private static Map<String, String> fields(BuildCommand c) throws IllegalAccessException {
    Map<String, String> m = new TreeMap<>();
    for (Field f : BuildCommand.class.getDeclaredFields()) {
      if (f.getAnnotation(Option.class) != null || f.getAnnotation(CommandLine.Parameters.class) != null) {
        m.put(f.getName(), String.valueOf(f.get(c)));
      }
    }
    m.put("root", String.valueOf(c.storeOptions.root));
    m.put("tlsVerify", String.valueOf(c.registryOptions.tlsVerify));
    m.put("insecureRegistries", String.valueOf(c.registryOptions.insecureRegistries));
    return m;
  }
}
