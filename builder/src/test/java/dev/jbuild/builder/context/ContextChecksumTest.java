package dev.jbuild.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.store.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextChecksumTest {
  @TempDir Path dir;
  @TempDir Path state;
  private final AtomicInteger reads = new AtomicInteger();
  // Far enough ahead that freshly written files are not "racy" and get memoised.
  private final Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
  private BuildContext ctx;

  @BeforeEach
  void setUp() throws IOException {
    write("src/a.go", "package a\n");
    write("src/b.go", "package b\n");
    write("src/sub/c.txt", "c");
    write("src/ignored.log", "noise");
    write("README", "readme");
    Files.createSymbolicLink(dir.resolve("src/link"), Path.of("a.go"));
    ctx = BuildContext.of(dir, IgnoreRules.of(List.of("**/*.log")));
  }

  private void write(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private ContextChecksum checksum(ChecksumMemo memo) {
    return new ContextChecksum(ctx, memo, later, p -> {
      reads.incrementAndGet();
      return Files.newInputStream(p);
    });
  }

  private Digest sum(String... paths) throws IOException {
    return checksum(ChecksumMemo.inMemory()).checksum(List.of(paths));
  }

  @Test
  void contentChangeChangesTheChecksum() throws IOException {
    Digest before = sum("src");
    write("src/sub/c.txt", "C");
    assertNotEquals(before, sum("src"));
  }

  @Test
  void mtimeOnlyChangeKeepsTheChecksum() throws IOException {
    Digest dirBefore = sum("src");
    Digest fileBefore = sum("src/a.go");
    Files.setLastModifiedTime(dir.resolve("src/a.go"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    Files.setLastModifiedTime(dir.resolve("src"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    assertEquals(dirBefore, sum("src"));
    assertEquals(fileBefore, sum("src/a.go"));
  }

  @Test
  void modeChangeChangesTheChecksum() throws IOException {
    Files.setPosixFilePermissions(dir.resolve("src/b.go"), PosixFilePermissions.fromString("rw-r--r--"));
    Digest plain = sum("src");
    Files.setPosixFilePermissions(dir.resolve("src/b.go"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Digest exec = sum("src");
    assertNotEquals(plain, exec);
    // setuid is not a PosixFilePermission: set the raw mode.
    Files.setAttribute(dir.resolve("src/b.go"), "unix:mode", 04755);
    assertNotEquals(exec, sum("src"));
  }

  @Test
  void linkTargetNamesAndIgnoredFilesCount() throws IOException {
    Digest before = sum("src");
    write("src/ignored.log", "other noise");
    assertEquals(before, sum("src"), "an ignored file must not count");
    Files.delete(dir.resolve("src/link"));
    Files.createSymbolicLink(dir.resolve("src/link"), Path.of("b.go"));
    Digest relinked = sum("src");
    assertNotEquals(before, relinked);
    Files.move(dir.resolve("src/sub/c.txt"), dir.resolve("src/sub/d.txt"));
    assertNotEquals(relinked, sum("src"), "a rename must count");
  }

  @Test
  void pathSetsAreSortedAndDistinct() throws IOException {
    assertEquals(sum("README", "src/a.go"), sum("src/a.go", "README", "./README"));
    assertNotEquals(sum("README"), sum("src/a.go"));
    // Same content under another name is another source.
    write("README2", "readme");
    assertNotEquals(sum("README"), sum("README2"));
  }

  @Test
  void missingExcludedAndEscapingPathsFail() {
    assertThrows(NoSuchFileException.class, () -> sum("nope"));
    assertThrows(NoSuchFileException.class, () -> sum("src/ignored.log"));
    assertThrows(ContextEscapeException.class, () -> sum("../x"));
  }

  @Test
  void memoHitAvoidsReadingAndSurvivesReload() throws IOException {
    Path memoFile = state.resolve("memo.bin");
    ChecksumMemo memo = ChecksumMemo.load(memoFile);
    Digest first = checksum(memo).checksum(List.of(".", "src"));
    // README, a.go, b.go, c.txt: read once although listed under both roots, the memo answering the second time.
    assertEquals(4, reads.get());
    memo.save();

    reads.set(0);
    ChecksumMemo reloaded = ChecksumMemo.load(memoFile);
    assertEquals(4, reloaded.size());
    assertEquals(first, checksum(reloaded).checksum(List.of(".", "src")));
    assertEquals(0, reads.get(), "an unchanged context costs no reads");

    // Same size, mtime put back: ctime still differs, so the file is read again.
    FileTime mtime = Files.getLastModifiedTime(dir.resolve("src/b.go"));
    write("src/b.go", "package B\n");
    Files.setLastModifiedTime(dir.resolve("src/b.go"), mtime);
    Digest changed = checksum(reloaded).checksum(List.of(".", "src"));
    assertNotEquals(first, changed);
    assertEquals(1, reads.get());
  }

  @Test
  void racyFilesAreNotMemoised() throws IOException {
    ChecksumMemo memo = ChecksumMemo.inMemory();
    new ContextChecksum(ctx, memo).checksum("src");
    assertEquals(0, memo.size(), "files written just now must be re-read next time");
  }

  @Test
  void corruptMemoIsIgnored() throws IOException {
    Path memoFile = state.resolve("memo.bin");
    ChecksumMemo memo = ChecksumMemo.load(memoFile);
    Digest d = checksum(memo).checksum("src");
    memo.save();
    byte[] bytes = Files.readAllBytes(memoFile);
    Files.write(memoFile, java.util.Arrays.copyOf(bytes, bytes.length - 7));
    assertEquals(0, ChecksumMemo.load(memoFile).size());
    Files.writeString(memoFile, "{not a memo}");
    ChecksumMemo garbage = ChecksumMemo.load(memoFile);
    assertEquals(0, garbage.size());
    reads.set(0);
    assertEquals(d, checksum(garbage).checksum("src"));
    assertEquals(3, reads.get());
  }
}
