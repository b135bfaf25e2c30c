package dev.jbuild.store.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: {@code ref/valid.table} and {@code ref/invalid.table} under test resources. */
class ImageRefTest {

  static Stream<List<String>> valid() throws IOException {
    return table("ref/valid.table");
  }

  static Stream<List<String>> invalid() throws IOException {
    return table("ref/invalid.table");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesAndNormalises(List<String> row) {
    ImageRef r = ImageRef.parse(row.get(0));
    assertEquals(row.get(1), r.registry(), "registry");
    assertEquals(row.get(2), r.repository(), "repository");
    assertEquals(opt(row.get(3)), r.tag(), "tag");
    assertEquals(opt(row.get(4)).map(Digest::parse), r.digest(), "digest");
    assertEquals(row.get(5), r.familiar(), "familiar");
    String full = row.get(1) + "/" + row.get(2) + opt(row.get(3)).map(t -> ":" + t).orElse("")
        + opt(row.get(4)).map(d -> "@" + d).orElse("");
    assertEquals(full, r.toString(), "full form");
    // both printed forms parse back to the same value
    assertEquals(r, ImageRef.parse(r.toString()));
    assertEquals(r, ImageRef.parse(r.familiar()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithAClearMessage(List<String> row) {
    InvalidRefException e = assertThrows(InvalidRefException.class, () -> ImageRef.parse(row.get(0)));
    assertTrue(e.getMessage().startsWith("invalid reference \"" + row.get(0) + "\": "), e.getMessage());
    assertTrue(e.getMessage().contains(row.get(1)), e.getMessage());
  }

  @Test
  void messageForUpperCaseIsExact() {
    assertEquals("invalid reference \"UPPER:Case\": repository name must be lowercase",
        assertThrows(InvalidRefException.class, () -> ImageRef.parse("UPPER:Case")).getMessage());
  }

  @Test
  void emptyIsRejected() {
    assertEquals("invalid reference \"\": repository name must have at least one component",
        assertThrows(InvalidRefException.class, () -> ImageRef.parse("")).getMessage());
  }

  @Test
  void nameLengthLimitCountsTheNormalisedName() {
    // docker.io/library/ is 18 characters: 237 more make exactly 255
    String ok = "a".repeat(237);
    assertEquals(255, ImageRef.parse(ok).name().length());
    InvalidRefException e = assertThrows(InvalidRefException.class, () -> ImageRef.parse(ok + "b"));
    assertTrue(e.getMessage().endsWith("repository name must not be more than 255 characters"), e.getMessage());
    String host = "registry.example.com/";
    assertEquals(255, ImageRef.parse(host + "x".repeat(255 - host.length())).name().length());
    assertThrows(InvalidRefException.class, () -> ImageRef.parse(host + "x".repeat(256 - host.length())));
  }

  @Test
  void tagLengthLimitIs128() {
    assertEquals(Optional.of("t".repeat(128)), ImageRef.parse("a:" + "t".repeat(128)).tag());
    InvalidRefException e = assertThrows(InvalidRefException.class, () -> ImageRef.parse("a:" + "t".repeat(129)));
    assertTrue(e.getMessage().endsWith("invalid tag format"), e.getMessage());
  }

  @Test
  void hugeInputFailsFast() {
    assertThrows(InvalidRefException.class, () -> ImageRef.parse("a".repeat(100_000) + "!"));
  }

  @Test
  void withTagAndDigestReturnNewRefs() {
    ImageRef r = ImageRef.parse("busybox");
    Digest d = Digest.of("x");
    assertEquals("docker.io/library/busybox:1", r.withTag("1").toString());
    assertEquals("busybox:latest@" + d, r.withDigest(d).familiar());
    assertEquals("docker.io/library/busybox:latest", r.toString());
    assertThrows(InvalidRefException.class, () -> r.withTag("bad tag"));
  }

  private static Optional<String> opt(String cell) {
    return cell.equals("-") ? Optional.empty() : Optional.of(cell);
  }

  private static Stream<List<String>> table(String resource) throws IOException {
    try (InputStream in = ImageRefTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> Arrays.stream(l.split("\\|", -1)).map(String::strip).toList())
          .toList().stream();
    }
  }
}
