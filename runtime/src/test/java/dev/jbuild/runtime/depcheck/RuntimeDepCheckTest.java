package dev.jbuild.runtime.depcheck;

import dev.jbuild.store.testing.DepCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeDepCheckTest {
  @Test
  void runtimeKnowsNeitherBuilderNorCli() throws Exception {
    DepCheck.assertNoImports(DepCheck.mainSources(),
        List.of("dev.jbuild.builder", "dev.jbuild.cli", "picocli", "com.sun.jna"), List.of());
  }
}
