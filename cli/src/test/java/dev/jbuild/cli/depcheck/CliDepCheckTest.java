package dev.jbuild.cli.depcheck;

import dev.jbuild.store.testing.DepCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliDepCheckTest {
  @Test
  void cliDoesNotCallNativeCode() throws Exception {
    DepCheck.assertNoImports(DepCheck.mainSources(), List.of("com.sun.jna"), List.of());
  }
}
