package dev.jbuild.store.depcheck;

import dev.jbuild.store.testing.DepCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreDepCheckTest {
  @Test
  void storeKnowsNothingAboveIt() throws Exception {
    DepCheck.assertNoImports(DepCheck.mainSources(),
        List.of("dev.jbuild.runtime", "dev.jbuild.builder", "dev.jbuild.cli", "picocli"), List.of());
  }

  @Test
  void onlySysTouchesJna() throws Exception {
    DepCheck.assertNoImports(DepCheck.mainSources(), List.of("com.sun.jna"), List.of("dev.jbuild.store.sys"));
  }
}
