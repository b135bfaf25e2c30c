package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {
  @Test
  void fileSystemErrorsSayWhatWentWrongNotOnlyWhere() {
    // these exceptions carry only the path as their message
    assertEquals("no such file or directory: /a", ErrorReporter.message(new NoSuchFileException("/a")));
    assertEquals("file exists: /b", ErrorReporter.message(new FileAlreadyExistsException("/b")));
    assertEquals("directory not empty: /c", ErrorReporter.message(new DirectoryNotEmptyException("/c")));
    assertEquals("disk full", ErrorReporter.message(new IOException("disk full")));
  }
}
