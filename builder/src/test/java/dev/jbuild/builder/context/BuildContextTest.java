package dev.jbuild.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.context.ContextEntry.Type;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
  @TempDir Path dir;

  private void file(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private List<String> paths(BuildContext ctx) throws IOException {
    return ctx.walk().stream().map(ContextEntry::path).toList();
  }

  @Test
  void walkHonoursIgnoreFileAndReincludes() throws IOException {
    file("a.txt", "a");
    file("b.log", "b");
    file("docs/README.md", "r");
    file("docs/x.md", "x");
    file("node_modules/m/index.js", "i");
    file("build/out.bin", "o");
    file("src/main.go", "m");
    file("src/sub/deep.go", "d");
    file("src/sub/deep.log", "d");
    file(".dockerignore", "# generated\n*.log\ndocs\n!docs/README.md\nnode_modules\n/build/\n**/*.log\n");
    BuildContext ctx = BuildContext.open(dir, Optional.empty());
    assertEquals(
        List.of(".dockerignore", "a.txt", "docs", "docs/README.md", "src", "src/main.go", "src/sub", "src/sub/deep.go"),
        paths(ctx));
    assertTrue(ctx.isExcluded("node_modules/m/index.js"));
    assertFalse(ctx.isExcluded("docs/README.md"));
    // node_modules and build are skipped without being entered: no '!' pattern can reach inside them.
    assertFalse(ctx.rules().mayReincludeBeneath("node_modules"));
    assertFalse(ctx.rules().mayReincludeBeneath("build"));
    assertTrue(ctx.rules().mayReincludeBeneath("docs"));
  }

  @Test
  void deepReincludeThroughDoubleStar() throws IOException {
    file("a/b/keep.txt", "k");
    file("a/b/drop.txt", "d");
    file("a/c/other", "o");
    file("top", "t");
    BuildContext ctx = BuildContext.of(dir, IgnoreRules.of(List.of("*", "!**/keep.txt")));
    // Excluded parents are listed because something beneath them is re-included; a/c is not.
    assertEquals(List.of("a", "a/b", "a/b/keep.txt"), paths(ctx));
  }

  @Test
  void walkIsDepthFirstInByteOrderAndDoesNotFollowLinks() throws IOException {
    file("a/b", "1");
    file("a.txt", "2");
    file("B", "3");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
    BuildContext ctx = BuildContext.of(dir, IgnoreRules.none());
    assertEquals(
        List.of(new ContextEntry("B", Type.FILE), new ContextEntry("a", Type.DIRECTORY), new ContextEntry("a/b", Type.FILE),
            new ContextEntry("a.txt", Type.FILE), new ContextEntry("link", Type.SYMLINK)),
        ctx.walk());
  }

  @Test
  void ignoreFileLookupOrder() throws IOException {
    Path buildfile = dir.resolve("sub/app.Buildfile");
    Files.createDirectories(buildfile.getParent());
    Files.writeString(buildfile, "FROM scratch\n");
    assertEquals(Optional.empty(), IgnoreFile.locate(dir, Optional.of(buildfile)));
    file(".dockerignore", "d");
    assertEquals(Optional.of(dir.resolve(".dockerignore")), IgnoreFile.locate(dir, Optional.of(buildfile)));
    file(".jbuildignore", "j");
    assertEquals(Optional.of(dir.resolve(".jbuildignore")), IgnoreFile.locate(dir, Optional.of(buildfile)));
    file("sub/app.Buildfile.dockerignore", "s");
    assertEquals(Optional.of(dir.resolve("sub/app.Buildfile.dockerignore")), IgnoreFile.locate(dir, Optional.of(buildfile)));
    assertEquals(List.of("s"), IgnoreFile.load(dir, Optional.of(buildfile)).patterns().stream().map(IgnorePattern::toString).toList());
    assertEquals(Optional.of(dir.resolve(".jbuildignore")), IgnoreFile.locate(dir, Optional.empty()));
  }

  @Test
  void badIgnoreFileNamesTheFile() throws IOException {
    file(".dockerignore", "ok\n!\n");
    BadPatternException e = assertThrows(BadPatternException.class, () -> BuildContext.open(dir, Optional.empty()));
    assertTrue(e.getMessage().contains(".dockerignore"), e.getMessage());
  }

  @Test
  void resolveRefusesEscapes() throws IOException {
    BuildContext ctx = BuildContext.of(dir, IgnoreRules.none());
    for (String bad : List.of("..", "../x", "a/../../x", "./../x")) {
      assertThrows(ContextEscapeException.class, () -> ctx.resolve(bad), bad);
    }
    assertEquals(ctx.root().resolve("a"), ctx.resolve("/a"));
    assertEquals(ctx.root().resolve("b"), ctx.resolve("a/../b"));
    assertEquals(ctx.root(), ctx.resolve("."));
  }

  @Test
  void symlinksResolveInsideTheContext() throws IOException {
    file("real/f", "f");
    Path root = BuildContext.of(dir, IgnoreRules.none()).root();
    Files.createSymbolicLink(dir.resolve("abs"), Path.of("/real"));
    Files.createSymbolicLink(dir.resolve("hostetc"), Path.of("/etc"));
    // Inside the context "/self" is this very link: a loop, as in a chroot.
    Files.createSymbolicLink(dir.resolve("self"), Path.of("/self"));
    Files.createSymbolicLink(dir.resolve("up"), Path.of("../../../../real"));
    Files.createDirectories(dir.resolve("d"));
    Files.createSymbolicLink(dir.resolve("d/rel"), Path.of("../real/f"));
    Files.createSymbolicLink(dir.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(dir.resolve("loop2"), Path.of("loop1"));
    BuildContext ctx = BuildContext.of(dir, IgnoreRules.none());
    assertEquals(root.resolve("real/f"), ctx.resolve("abs/f"));
    assertEquals(root.resolve("etc/passwd"), ctx.resolve("hostetc/passwd"));
    assertFalse(Files.exists(ctx.resolve("hostetc/passwd")), "the host's /etc must not be reachable");
    assertThrows(FileSystemException.class, () -> ctx.resolve("self/x"));
    assertEquals(root.resolve("real/f"), ctx.resolve("up/f"));
    assertEquals(root.resolve("real/f"), ctx.resolve("d/rel"));
    assertEquals(root.resolve("d/rel"), ctx.resolve("d/rel", false));
    assertThrows(FileSystemException.class, () -> ctx.resolve("loop1"));
    // Walking below a link walks the directory it stands for inside the context, never the host's.
    assertEquals(List.of("real/f"), ctx.walk("abs").stream().map(ContextEntry::path).toList());
    assertThrows(java.nio.file.NotDirectoryException.class, () -> ctx.walk("hostetc"));
    assertThrows(ContextEscapeException.class, () -> ctx.walk("../.."));
  }
}
