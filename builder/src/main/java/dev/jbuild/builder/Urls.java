package dev.jbuild.builder;

import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * ADD of an http(s) URL: the file is downloaded (to the store's tmp/) while its sha256 is computed, checked
 * against {@code --checksum} when given, and its digest becomes the step's cache input. The file is named
 * after the URL's last path segment, gets mode 0600 and the server's Last-Modified time, as docker does.
 */
final class Urls {
  private Urls() {}

  /** A downloaded file: where it is, its name in the image, its mtime (if the server said) and its digest. */
  record Downloaded(Path file, String name, FileTime mtime, Digest digest) {}

  static boolean isUrl(String s) {
    return s.startsWith("http://") || s.startsWith("https://");
  }

  static Downloaded download(Path tmp, String url, Optional<String> checksum, SourceRange at)
      throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(at, "invalid URL " + url, -1, List.of(), e);
    }
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpResponse<InputStream> resp = client.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    Path file = dev.jbuild.store.TempFiles.createFile(tmp, "download-", "");
    boolean ok = false;
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new StepFailedException(at, "downloading " + url + ": HTTP " + resp.statusCode(), -1, List.of(), null);
      }
      Digest digest;
      try (OutputStream out = Files.newOutputStream(file); DigestingOutputStream d = new DigestingOutputStream(out)) {
        in.transferTo(d);
        d.flush();
        digest = d.digest();
      }
      if (checksum.isPresent() && !Digest.parse(checksum.get()).equals(digest)) {
        throw new StepFailedException(at, "checksum of " + url + " is " + digest + ", want " + checksum.get(), -1,
            List.of(), null);
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.isEmpty()) {
        name = "download";
      }
      FileTime mtime = resp.headers().firstValue("Last-Modified").map(Urls::httpDate).orElse(null);
      ok = true;
      return new Downloaded(file, name, mtime, digest);
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static FileTime httpDate(String v) {
    try {
      return FileTime.from(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
