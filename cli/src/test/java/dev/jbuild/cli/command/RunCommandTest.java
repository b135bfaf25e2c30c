package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.runtime.spec.Security;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** jbuild run's fast argument parser agrees with picocli's, option by option. */
class RunCommandTest {
  private static final PrintWriter NULL = new PrintWriter(Writer.nullWriter());
  private static final Jbuild.Context CTX = new Jbuild.Context(NULL, NULL, Map.of());

  @Test
  void everyOptionIsKnownToTheFastParser() {
    for (Field f : RunCommand.class.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o != null) {
        for (String n : o.names()) {
          assertTrue(RunCommand.FAST_FLAGS.contains(n) || RunCommand.FAST_VALUED.contains(n), n);
        }
      }
    }
  }

  static List<String[]> cases() {
    return List.of(
        new String[] {"run", "bb"},
        new String[] {"run", "--rm", "bb", "/bin/true"},
        new String[] {"run", "-it", "--name", "x", "bb", "sh", "-c", "echo -e hi"},
        new String[] {"run", "-d", "-e", "A=1", "-eB=2", "--env=C=3", "--env-file", "/tmp/f", "-p", "127.0.0.1:80:80",
            "-p8080:80/udp", "-v", "/a:/b:ro", "--tmpfs", "/t", "-w", "/w", "-u", "nobody:nogroup", "--entrypoint", "",
            "--network=none", "--hostname", "h", "--dns", "1.1.1.1", "--add-host", "x:1.2.3.4", "-m", "16m",
            "--cpus", "0.5", "--pids-limit", "10", "--read-only", "--privileged", "--cap-add", "NET_ADMIN",
            "--cap-drop", "ALL", "--security-opt", "seccomp=unconfined", "--stop-signal", "SIGQUIT", "--init",
            "--runtime", "/usr/bin/runc", "--root", "/tmp/r", "img:tag", "cmd", "--rm", "-d"},
        new String[] {"run", "--net", "host", "--", "bb", "-x"});
  }

  @Test
  void fastParserAndPicocliAgree() throws Exception {
    for (String[] args : cases()) {
      Optional<RunCommand> fast = RunCommand.parseFast(CTX, args);
      assertTrue(fast.isPresent(), String.join(" ", args));
      CommandLine cl = Jbuild.commandLine(NULL, NULL, Map.of());
      CommandLine.ParseResult pr = cl.parseArgs(args);
      RunCommand slow = (RunCommand) pr.subcommand().commandSpec().userObject();
      assertEquals(fields(slow), fields(fast.get()), String.join(" ", args));
    }
  }

  @Test
  void fastParserLeavesOddCasesToPicocli() {
    for (String[] args : List.of(new String[] {"run"}, new String[] {"run", "--help"}, new String[] {"run", "--bogus", "bb"},
        new String[] {"run", "--cpus", "many", "bb"}, new String[] {"run", "--rm=true", "bb"}, new String[] {"run", "-e"},
        new String[] {"run", "-x", "bb"}, new String[] {"ps"}, new String[] {"--debug", "run", "bb"})) {
      assertEquals(Optional.empty(), RunCommand.parseFast(CTX, args), String.join(" ", args));
    }
  }

  @Test
  void securityOptions() {
    assertEquals("unconfined", RunCommand.securityOpt(Security.DEFAULT, "seccomp=unconfined").seccomp());
    assertEquals(false, RunCommand.securityOpt(Security.DEFAULT, "no-new-privileges=false").noNewPrivileges());
    assertEquals(false, RunCommand.securityOpt(Security.DEFAULT, "no-new-privileges:false").noNewPrivileges());
  }

  @Test
  void envEntriesFromTheHost() {
    List<String> out = new ArrayList<>();
    RunCommand.addEnv(out, "A=1", Map.of(), "");
    RunCommand.addEnv(out, "HOME", Map.of("HOME", "/root"), "");
    RunCommand.addEnv(out, "UNSET", Map.of(), "");
    assertEquals(List.of("A=1", "HOME=/root"), out);
  }

  private static Map<String, String> fields(RunCommand c) throws IllegalAccessException {
    Map<String, String> m = new TreeMap<>();
    for (Field f : RunCommand.class.getDeclaredFields()) {
      if (f.getAnnotation(Option.class) != null || f.getAnnotation(CommandLine.Parameters.class) != null) {
        m.put(f.getName(), String.valueOf(f.get(c)));
      }
    }
    m.put("root", String.valueOf(c.storeOptions.root));
    return m;
  }
}
