package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.archive.ArchiveFormat;
import dev.jbuild.store.archive.DockerArchive;
import dev.jbuild.store.archive.OciArchive;
import dev.jbuild.store.archive.SavedImage;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild save [-o FILE] [--format oci-archive|docker-archive|oci-dir] IMAGE...}: images to an
 * archive file, an OCI layout directory, or stdout (never a terminal, as docker refuses too).
 */
@Command(name = "save", description = "Save images to an archive (an OCI layout by default).")
public final class SaveCommand extends StoreCommand {
  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (a directory for oci-dir) instead of stdout.")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", description = "oci-archive (default), docker-archive or oci-dir.")
  String format = ArchiveFormat.OCI_ARCHIVE.id();

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  public SaveCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    ArchiveFormat f = ArchiveFormat.parse(format);
    Store store = openStore();
    List<SavedImage> saved = new ArrayList<>();
    for (String text : images) {
      saved.add(SavedImage.resolve(store, text));
    }
    if (f == ArchiveFormat.OCI_DIR) {
      if (output == null) {
        throw new JbuildException("--format oci-dir needs -o DIR");
      }
      new OciArchive(store).writeDirectory(saved, output);
      return 0;
    }
    if (output == null) {
      if (stdoutIsTerminal()) {
        throw new JbuildException("cowardly refusing to save to a terminal: use the -o flag or redirect");
      }
      // binary output goes to the process's stdout directly, not through the text writer
      OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
      write(store, f, saved, out);
      out.flush();
      return 0;
    }
    writeFile(store, f, saved, output.toAbsolutePath());
    return 0;
  }

  private static void write(Store store, ArchiveFormat f, List<SavedImage> saved, OutputStream out) throws IOException {
    switch (f) {
      case OCI_ARCHIVE -> new OciArchive(store).write(saved, out);
      case DOCKER_ARCHIVE -> new DockerArchive(store).write(saved, out);
      case OCI_DIR -> throw new IllegalStateException("[internal error] oci-dir is not a stream");
    }
  }

  // Temp file next to the target, fsync, rename: a failed save never leaves half an archive under FILE.
  private static void writeFile(Store store, ArchiveFormat f, List<SavedImage> saved, Path target) throws IOException {
    if (Files.isDirectory(target)) {
      throw new JbuildException(target.toString(), "is a directory (use --format oci-dir to save a layout directory)", null);
    }
    if (!Files.isDirectory(target.getParent())) {
      throw new java.nio.file.NoSuchFileException(target.getParent().toString());
    }
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        write(store, f, saved, out);
        out.flush();
        ch.force(true);
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean stdoutIsTerminal() {
    try {
      String t = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
