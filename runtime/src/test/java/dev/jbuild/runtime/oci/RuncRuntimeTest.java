package dev.jbuild.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncRuntimeTest {
  @Test
  void execErrorsMapToDockerStatuses() {
    String prefix = "runc run failed: unable to start container process: exec: ";
    assertEquals(Optional.of(127), RuncRuntime.execFailureStatus(List.of(prefix + "\"nosuch\": executable file not found in $PATH")));
    assertEquals(Optional.of(127), RuncRuntime.execFailureStatus(List.of(prefix + "\"/x/y\": stat /x/y: no such file or directory")));
    assertEquals(Optional.of(126), RuncRuntime.execFailureStatus(List.of(prefix + "\"/etc/passwd\": permission denied")));
    assertEquals(Optional.empty(), RuncRuntime.execFailureStatus(List.of("runc run failed: cgroup: no such controller")));
  }

  @Test
  void readsErrorLinesFromTheJsonLog(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("log.json");
    Files.writeString(log, """
        {"level":"warning","msg":"a warning","time":"x"}
        {"level":"error","msg":"first","time":"x"}
        not json
        {"level":"error","msg":"second","time":"x"}
        """);
    assertEquals(List.of("first", "not json", "second"), RuncRuntime.errorLines(log));
  }

  @Test
  void quotesForTheShell() {
    assertEquals("'a b' 'it'\\''s'", RuncRuntime.shellQuote(List.of("a b", "it's")));
  }
}
