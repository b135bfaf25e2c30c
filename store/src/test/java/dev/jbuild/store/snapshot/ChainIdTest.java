package dev.jbuild.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.store.digest.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdTest {
  static final Digest A = Digest.of("layer a");
  static final Digest B = Digest.of("layer b");
  static final Digest C = Digest.of("layer c");

  @Test
  void followsTheImageSpecDefinition() {
    ChainId one = ChainId.of(A);
    assertEquals(A, one.digest());
    ChainId two = ChainId.of(List.of(A, B));
    assertEquals(Digest.of(A + " " + B), two.digest());
    assertEquals(Digest.of(two + " " + C), ChainId.of(List.of(A, B, C)).digest());
    assertEquals(List.of(one, two, two.then(C)), ChainId.chain(List.of(A, B, C)));
  }

  @Test
  void matchesAKnownValue() {
    // printf 'sha256:%s sha256:%s' $(printf a|sha256sum|cut -c1-64) $(printf b|sha256sum|cut -c1-64) | sha256sum
    Digest a = Digest.of("a");
    Digest b = Digest.of("b");
    assertEquals("sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676",
        ChainId.of(List.of(a, b)).toString());
  }

  @Test
  void parsesWhatItPrints() {
    ChainId c = ChainId.of(List.of(A, B));
    assertEquals(c, ChainId.parse(c.toString()));
    assertThrows(IllegalArgumentException.class, () -> ChainId.of(List.of()));
  }
}
