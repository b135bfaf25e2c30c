package dev.jbuild.builder.depcheck;

import dev.jbuild.store.testing.DepCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuilderDepCheckTest {
  @Test
  void builderKnowsNothingOfTheCli() throws Exception {
    DepCheck.assertNoImports(DepCheck.mainSources(), List.of("dev.jbuild.cli", "picocli", "com.sun.jna"), List.of());
  }
}
