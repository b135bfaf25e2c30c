package dev.jbuild.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.store.JbuildException;
import dev.jbuild.store.blob.BlobWriter;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestMismatchException;
import dev.jbuild.store.digest.InvalidDigestException;
import dev.jbuild.store.digest.VerifyingInputStream;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.MediaType;
import dev.jbuild.store.registry.Transport.Call;
import dev.jbuild.store.registry.Transport.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for one registry host speaking the OCI distribution spec: manifests by tag or digest,
 * blobs (HEAD, streamed and verified GET, resumable pull into a {@link BlobWriter}, monolithic or
 * chunked upload, cross-repository mount) and tag lists. Thread-safe: one instance serves parallel
 * transfers, sharing its connections and its Bearer tokens.
 *
 * <pre>{@code
 * try (RegistryClient c = new RegistryClient(RegistryEndpoint.of("127.0.0.1:5000"),
 *     CredentialStore.fromEnvironment(System.getenv()), ClientOptions.defaults())) {
 *   ManifestResponse m = c.getManifest("library/busybox", "latest", RegistryClient.MANIFEST_TYPES);
 * }
 * }</pre>
 *
 * <p>Every operation fails with an unchecked {@link RegistryException} whose message is a chain of
 * phrases ({@code pulling blob sha256:ab12cd34ef56: HTTP 404 BLOB_UNKNOWN: blob unknown to
 * registry}); content that does not match its digest fails with {@link DigestMismatchException}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">distribution-spec</a>
 */
public final class RegistryClient implements AutoCloseable {
  /** The largest manifest or index accepted, as containerd and the distribution spec suggest. */
  public static final int MAX_MANIFEST_SIZE = 4 << 20;
  private static final int MAX_TAGS_PAGE = 4 << 20;
  private static final int MAX_TAG_PAGES = 10_000;

  /** Every manifest and index type jbuild understands, for {@code Accept}. */
  public static final List<MediaType> MANIFEST_TYPES = List.of(
      MediaType.OCI_INDEX, MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST);

  private static final Pattern REPO = Pattern.compile(
      "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /** The longest a TLS probe of an insecure registry waits for the handshake. */
  private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final RegistryEndpoint endpoint;
  private final Transport transport;
  private final ClientOptions options;

  /**
   * A client for an endpoint. An insecure HTTPS endpoint ({@link RegistryEndpoint#tlsVerify()}
   * false) is probed here with one TLS handshake, and reached over plain HTTP if it does not speak
   * TLS; {@link #endpoint()} tells which.
   */
  public RegistryClient(RegistryEndpoint endpoint, CredentialProvider credentials, ClientOptions options) {
    endpoint = TlsProbe.settle(endpoint, options.connectTimeout().compareTo(PROBE_TIMEOUT) < 0
        ? options.connectTimeout() : PROBE_TIMEOUT);
    this.endpoint = endpoint;
    this.options = options;
    this.transport = new Transport(endpoint, credentials, options);
  }

  /** An anonymous client with default options. */
  public static RegistryClient anonymous(RegistryEndpoint endpoint) {
    return new RegistryClient(endpoint, CredentialProvider.anonymous(), ClientOptions.defaults());
  }

  public RegistryEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Checks that the host speaks the distribution API ({@code GET /v2/}) and, when it asks for
   * authentication, that the credentials are accepted (as {@code docker login} does).
   */
  public void ping() {
    String what = "checking registry " + endpoint.name();
    Response r = transport.send(Call.of(what, "GET", endpoint.resolve("/v2/"), Scope.NONE));
    if (r.statusCode() != 200) {
      throw r.statusCode() == 404
          ? new RegistryException(what + ": not a registry: GET /v2/ answered 404", 404, List.of(), null)
          : transport.error(what, r);
    }
    Transport.close(r);
  }

  /**
   * Fetches a manifest or index by tag or digest with one of the accepted media types. Its bytes
   * are read whole (they are at most {@link #MAX_MANIFEST_SIZE}), digested, and checked against the
   * digest asked for, or the registry's {@code Docker-Content-Digest} when asked by tag.
   */
  public ManifestResponse getManifest(String repo, String reference, List<MediaType> accept) {
    String what = "pulling manifest " + name(repo, reference);
    Response r = transport.send(manifestCall(what, "GET", repo, reference, accept));
    if (r.statusCode() != 200) {
      throw transport.error(what, r);
    }
    byte[] bytes = Transport.readCapped(r, MAX_MANIFEST_SIZE, what);
    MediaType type = contentType(r).filter(t -> !isGenericType(t)).orElseGet(() -> sniffType(bytes, what));
    Optional<Digest> asked = asDigest(reference);
    Digest got = digestOf(bytes, asked.map(Digest::algorithm).orElse(dev.jbuild.store.digest.DigestAlgorithm.SHA256));
    if (asked.isPresent() && !asked.get().equals(got)) {
      throw new DigestMismatchException(asked.get(), got, bytes.length);
    }
    Optional<Digest> announced = headerDigest(r);
    if (asked.isEmpty() && announced.isPresent() && announced.get().algorithm() == got.algorithm()
        && !announced.get().equals(got)) {
      throw new DigestMismatchException(announced.get(), got, bytes.length);
    }
    return new ManifestResponse(type, bytes, got);
  }

  /**
   * The descriptor of a manifest or index without its body ({@code HEAD}), or empty if the
   * repository has no such tag or digest. Falls back to a GET when the registry sends no digest.
   */
  public Optional<Descriptor> headManifest(String repo, String reference, List<MediaType> accept) {
    String what = "checking manifest " + name(repo, reference);
    Response r = transport.send(manifestCall(what, "HEAD", repo, reference, accept));
    Transport.close(r);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw transport.error(what, r);
    }
    Optional<Digest> digest = headerDigest(r);
    Optional<MediaType> type = contentType(r).filter(t -> !isGenericType(t));
    long size = r.longHeader("Content-Length").orElse(-1);
    if (digest.isEmpty() || type.isEmpty() || size < 0) {
      return Optional.of(getManifest(repo, reference, accept).descriptor());
    }
    return Optional.of(Descriptor.of(type.get(), digest.get(), size));
  }

  /**
   * Uploads a manifest or index under a tag (or its digest) and returns its digest. The blobs and
   * manifests it refers to must already be in the repository.
   */
  public Digest putManifest(String repo, String reference, MediaType mediaType, byte[] bytes) {
    String what = "pushing manifest " + name(repo, reference);
    if (bytes.length > MAX_MANIFEST_SIZE) {
      throw new RegistryException(what + ": manifest of " + bytes.length + " bytes is larger than the limit of "
          + MAX_MANIFEST_SIZE);
    }
    Optional<Digest> asked = asDigest(reference);
    Digest digest = digestOf(bytes, asked.map(Digest::algorithm).orElse(dev.jbuild.store.digest.DigestAlgorithm.SHA256));
    if (asked.isPresent() && !asked.get().equals(digest)) {
      throw new DigestMismatchException(asked.get(), digest, bytes.length);
    }
    Call call = Call.of(what, "PUT", manifestUri(repo, reference), Scope.push(repo))
        .header("Content-Type", mediaType.toString())
        .body(RequestBody.bytes(bytes, 0, bytes.length));
    Response r = transport.send(call);
    if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 202) {
      throw transport.error(what, r);
    }
    Transport.close(r);
    Optional<Digest> announced = headerDigest(r);
    if (announced.isPresent() && announced.get().algorithm() == digest.algorithm() && !announced.get().equals(digest)) {
      throw new RegistryException(what + ": registry stored it as " + announced.get() + ", expected " + digest);
    }
    return digest;
  }

  /** True if the repository has the blob ({@code HEAD}). */
  public boolean hasBlob(String repo, Digest digest) {
    return hasBlob(repo, digest, Scope.pull(repo));
  }

  private boolean hasBlob(String repo, Digest digest, Scope scope) {
    String what = "checking blob " + shortDigest(digest);
    Response r = transport.send(Call.of(what, "HEAD", blobUri(repo, digest), scope).redirects());
    Transport.close(r);
    return switch (r.statusCode()) {
      case 200 -> true;
      case 404 -> false;
      default -> throw transport.error(what, r);
    };
  }

  /**
   * Opens a blob for streaming, following redirects to storage. The stream fails with {@link
   * DigestMismatchException} at its end unless the content matched the descriptor's digest and size;
   * the caller closes it. No retry happens once bytes flow: use {@link #pullBlob} for that.
   */
  public VerifyingInputStream openBlob(String repo, Descriptor blob) {
    String what = "pulling blob " + shortDigest(blob.digest());
    Response r = transport.send(Call.of(what, "GET", blobUri(repo, blob.digest()), Scope.pull(repo)).redirects());
    if (r.statusCode() != 200) {
      throw transport.error(what, r);
    }
    return new VerifyingInputStream(r.body(), blob.digest(), blob.size());
  }

  /**
   * Downloads a blob into a fresh writer and commits it only if digest and size match: the size is
   * enforced while bytes stream (never more than announced), the digest by {@link
   * BlobWriter#commit(MediaType, Digest)}, which hashes in the same pass. A connection that breaks mid-body is resumed where it stopped: with a {@code
   * Range} request when the registry honours them, else by reading the blob again and skipping what
   * was already written. At most {@link RetryPolicy#maxAttempts} broken transfers are tolerated.
   * On failure nothing is committed; the caller still closes the writer.
   */
  public Descriptor pullBlob(String repo, Descriptor blob, BlobWriter writer) throws IOException {
    return pullBlob(repo, blob, writer, TransferProgress.NONE);
  }

  /** {@link #pullBlob(String, Descriptor, BlobWriter)}, reporting the bytes written so far. */
  public Descriptor pullBlob(String repo, Descriptor blob, BlobWriter writer, TransferProgress progress)
      throws IOException {
    String what = "pulling blob " + shortDigest(blob.digest());
    if (writer.size() != 0) {
      throw new IllegalArgumentException("[internal error] pulling into a writer that already holds " + writer.size() + " bytes");
    }
    OutputStream out = writer.stream();
    long written = 0;
    int broken = 0;
    // large reads: a loopback registry delivers hundreds of KiB per read
    byte[] buf = new byte[1 << 18];
    boolean ranges = true;
    while (written < blob.size() || written == 0) {
      Call call = Call.of(what, "GET", blobUri(repo, blob.digest()), Scope.pull(repo)).redirects();
      if (written > 0 && ranges) {
        call = call.header("Range", "bytes=" + written + "-");
      }
      Response r = transport.send(call);
      long skip;
      if (r.statusCode() == 206 && written > 0 && rangeStart(r) == written) {
        skip = 0;
      } else if (r.statusCode() == 206 || r.statusCode() == 416) {
        // a range answer that does not fit: read the whole blob again instead
        Transport.close(r);
        ranges = false;
        if (++broken >= options.retry().maxAttempts()) {
          throw new RegistryException(what + ": the registry answered a resume with a wrong range", r.statusCode(), List.of(), null);
        }
        continue;
      } else if (r.statusCode() == 200) {
        // no range support: the whole blob again; what was written already is skipped
        skip = written;
      } else {
        throw transport.error(what, r);
      }
      IOException failure = null;
      try (InputStream in = r.body()) {
        while (skip > 0) {
          int n = read(in, buf, (int) Math.min(buf.length, skip));
          if (n < 0) {
            throw new NetworkException(new IOException("body ended before the resume offset " + written));
          }
          skip -= n;
        }
        int n;
        while ((n = read(in, buf, buf.length)) > 0) {
          if (written + n > blob.size()) {
            throw new DigestMismatchException(blob.digest(), "content is longer than the announced " + blob.size() + " bytes");
          }
          out.write(buf, 0, n);
          written += n;
          progress.transferred(written);
        }
      } catch (NetworkException e) {
        failure = e.io;
      }
      if (written == blob.size()) {
        break;
      }
      if (failure == null) {
        failure = new IOException("body ended after " + written + " of " + blob.size() + " bytes");
      }
      if (++broken >= options.retry().maxAttempts()) {
        throw Transport.ioError(what + ": transfer broken " + broken + " times", failure);
      }
      Transport.sleep(options.retry().backoff(broken), what);
    }
    // the writer digests what it was given in the same pass and refuses to commit a mismatch
    return writer.commit(blob.mediaType(), blob.digest());
  }

  /** Reads from the network, telling its failures apart from the writer's. */
  private static int read(InputStream in, byte[] buf, int len) {
    try {
      return in.read(buf, 0, len);
    } catch (IOException e) {
      throw new NetworkException(e);
    }
  }

  /** A read from the registry failed: resumable, unlike a failing write to the store. */
  private static final class NetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient IOException io;

    NetworkException(IOException io) {
      super(io);
      this.io = io;
    }
  }

  /** Uploads a blob unless the repository has it; see {@link #pushBlob(String, Descriptor, BlobSource, String)}. */
  public PushOutcome pushBlob(String repo, Descriptor blob, BlobSource content) throws IOException {
    return pushBlob(repo, blob, content, null, TransferProgress.NONE);
  }

  /** {@link #pushBlob(String, Descriptor, BlobSource, String, TransferProgress)} without progress. */
  public PushOutcome pushBlob(String repo, Descriptor blob, BlobSource content, String mountFrom) throws IOException {
    return pushBlob(repo, blob, content, mountFrom, TransferProgress.NONE);
  }

  /**
   * Makes a blob present in a repository: nothing to do if a HEAD finds it; else a cross-repository
   * mount from {@code mountFrom} when given (a repository of the same registry that has it; a
   * refused mount falls back to an upload); else an upload, in one PUT below {@link ClientOptions#chunkedThreshold} and in PATCH chunks of {@link
   * ClientOptions#chunkSize} from it. A temporary failure restarts the upload from a fresh stream
   * of {@code content}, at most {@link RetryPolicy#maxAttempts} times in all. Chunked uploads check
   * the digest before they commit; the registry checks it in every case. {@code progress} hears
   * the bytes read from {@code content} so far.
   *
   * @param mountFrom a repository of this registry that may have the blob, or null
   */
  public PushOutcome pushBlob(String repo, Descriptor blob, BlobSource source, String mountFrom,
      TransferProgress progress) throws IOException {
    String what = "pushing blob " + shortDigest(blob.digest());
    checkRepo(repo);
    if (mountFrom != null) {
      checkRepo(mountFrom);
    }
    // with the push scope, so that a push needs one token, not a pull token and a push token
    if (hasBlob(repo, blob.digest(), Scope.push(repo))) {
      return PushOutcome.EXISTS;
    }
    int failures = 0;
    while (true) {
      try {
        Optional<URI> session = startUpload(what, repo, blob, mountFrom != null && !mountFrom.equals(repo) ? mountFrom : null);
        if (session.isEmpty()) {
          return PushOutcome.MOUNTED;
        }
        if (blob.size() >= options.chunkedThreshold()) {
          uploadChunked(what, repo, blob, () -> new RequestBody.CountingInputStream(source.open(), progress), session.get());
        } else {
          uploadMonolithic(what, repo, blob, source, progress, session.get());
        }
        return PushOutcome.UPLOADED;
      } catch (RegistryException e) {
        if (!e.isTemporary() || ++failures >= options.retry().maxAttempts()) {
          throw e;
        }
        int failed = failures;
        Transport.sleep(e.retryAfter().orElseGet(() -> options.retry().backoff(failed)), what);
      }
    }
  }

  /** Starts an upload session (empty: the blob was mounted instead). */
  private Optional<URI> startUpload(String what, String repo, Descriptor blob, String mountFrom) {
    String path = "/v2/" + repo + "/blobs/uploads/";
    if (mountFrom != null) {
      path += "?mount=" + Transport.enc(blob.digest().toString()) + "&from=" + Transport.enc(mountFrom);
    }
    Scope scope = new Scope(repo, true, mountFrom);
    Response r = transport.send(Call.of(what + ": starting upload", "POST", endpoint.resolve(path), scope).noRetry());
    if (mountFrom != null && r.statusCode() == 201) {
      Transport.close(r);
      return Optional.empty();
    }
    if (mountFrom != null && r.statusCode() >= 400 && r.statusCode() < 500 && r.statusCode() != 429) {
      // a registry that refuses the mount (no access to the source, no mount support) may still take an upload
      Transport.close(r);
      return startUpload(what, repo, blob, null);
    }
    if (r.statusCode() != 202) {
      throw transport.error(what + ": starting upload", r);
    }
    Transport.close(r);
    return Optional.of(nextLocation(what, repo, r, endpoint.resolve(path)));
  }

  private void uploadMonolithic(String what, String repo, Descriptor blob, BlobSource source,
      TransferProgress progress, URI session) throws IOException {
    // opened here so that a local failure surfaces as itself, not as a network error; a resend
    // after a 401 or on a fresh connection sends the same file again, or opens the source again
    if (source instanceof FileBlobSource f) {
      try (FileChannel file = FileChannel.open(f.file(), StandardOpenOption.READ)) {
        putBlob(what, repo, blob, session, RequestBody.file(file, blob.size(), progress));
      }
      return;
    }
    AtomicReference<InputStream> first = new AtomicReference<>(source.open());
    try {
      putBlob(what, repo, blob, session, RequestBody.stream(blob.size(), () -> {
        InputStream in = first.getAndSet(null);
        return in != null ? in : source.open();
      }, progress));
    } finally {
      InputStream unused = first.getAndSet(null);
      if (unused != null) {
        unused.close();
      }
    }
  }

  private void putBlob(String what, String repo, Descriptor blob, URI session, RequestBody body) {
    Call put = Call.of(what, "PUT", withDigest(session, blob.digest()), Scope.push(repo)).noRetry()
        .header("Content-Type", "application/octet-stream")
        .body(blob.size() == 0 ? RequestBody.NONE : body);
    finishUpload(what, blob, transport.send(put));
  }

  private void uploadChunked(String what, String repo, Descriptor blob, BlobSource content, URI session) throws IOException {
    MessageDigest md = blob.digest().algorithm().newMessageDigest();
    byte[] buf = new byte[(int) Math.min(options.chunkSize(), Math.max(1, blob.size()))];
    long offset = 0;
    URI location = session;
    try (InputStream in = content.open()) {
      while (offset < blob.size()) {
        int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, blob.size() - offset));
        if (n == 0) {
          throw new DigestMismatchException(blob.digest(), "content to upload is " + offset + " bytes, announced " + blob.size());
        }
        md.update(buf, 0, n);
        final int len = n;
        Call patch = Call.of(what + ": uploading chunk at " + offset, "PATCH", location, Scope.push(repo)).noRetry()
            .header("Content-Type", "application/octet-stream")
            .header("Content-Range", offset + "-" + (offset + n - 1))
            .body(RequestBody.bytes(buf, 0, len));
        Response r = transport.send(patch);
        if (r.statusCode() != 202) {
          throw transport.error(patch.what(), r);
        }
        Transport.close(r);
        location = nextLocation(what, repo, r, location);
        offset += n;
      }
      if (in.read() >= 0) {
        throw new DigestMismatchException(blob.digest(), "content to upload is longer than the announced " + blob.size() + " bytes");
      }
    }
    Digest got = new Digest(blob.digest().algorithm(), HexFormat.of().formatHex(md.digest()));
    if (!got.equals(blob.digest())) {
      throw new DigestMismatchException(blob.digest(), got, offset);
    }
    Call put = Call.of(what + ": committing upload", "PUT", withDigest(location, blob.digest()), Scope.push(repo)).noRetry();
    finishUpload(put.what(), blob, transport.send(put));
  }

  private void finishUpload(String what, Descriptor blob, Response r) {
    if (r.statusCode() != 201 && r.statusCode() != 204 && r.statusCode() != 200) {
      throw transport.error(what, r);
    }
    Transport.close(r);
    Optional<Digest> announced = headerDigest(r);
    if (announced.isPresent() && announced.get().algorithm() == blob.digest().algorithm()
        && !announced.get().equals(blob.digest())) {
      throw new RegistryException(what + ": registry stored it as " + announced.get());
    }
  }

  /** Where an upload goes on: the Location header (relative or absolute), else the upload UUID. */
  private URI nextLocation(String what, String repo, Response r, URI current) {
    Optional<String> loc = r.header("Location").filter(s -> !s.isBlank());
    if (loc.isPresent()) {
      return current.resolve(loc.get().strip());
    }
    Optional<String> uuid = r.header("Docker-Upload-UUID").filter(s -> s.matches("[A-Za-z0-9_.=-]+"));
    if (uuid.isPresent()) {
      return endpoint.resolve("/v2/" + repo + "/blobs/uploads/" + uuid.get());
    }
    throw new RegistryException(what + ": the registry gave no upload location", r.statusCode(), List.of(), null);
  }

  private static URI withDigest(URI session, Digest digest) {
    String s = session.toString();
    return URI.create(s + (session.getRawQuery() == null ? "?" : "&") + "digest=" + Transport.enc(digest.toString()));
  }

  /** Every tag of a repository, following the registry's pagination ({@code Link: <...>; rel="next"}). */
  public List<String> tags(String repo) {
    String what = "listing tags of " + repo;
    checkRepo(repo);
    List<String> tags = new ArrayList<>();
    URI uri = endpoint.resolve("/v2/" + repo + "/tags/list" + (options.tagsPageSize() > 0 ? "?n=" + options.tagsPageSize() : ""));
    for (int page = 0; page < MAX_TAG_PAGES; page++) {
      Response r = transport.send(Call.of(what, "GET", uri, Scope.pull(repo)));
      if (r.statusCode() != 200) {
        throw transport.error(what, r);
      }
      byte[] body = Transport.readCapped(r, MAX_TAGS_PAGE, what);
      try {
        for (JsonNode t : Transport.JSON.readTree(body).path("tags")) {
          tags.add(t.asText());
        }
      } catch (IOException e) {
        throw new RegistryException(what + ": invalid JSON", 200, List.of(), e);
      }
      Optional<URI> next = r.headers("Link").stream()
          .map(NEXT_LINK::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
          .map(uri::resolve);
      if (next.isEmpty()) {
        return tags;
      }
      uri = next.get();
    }
    throw new RegistryException(what + ": more than " + MAX_TAG_PAGES + " pages");
  }

  private Call manifestCall(String what, String method, String repo, String reference, List<MediaType> accept) {
    if (accept.isEmpty()) {
      throw new IllegalArgumentException("[internal error] no accepted manifest media types");
    }
    return Call.of(what, method, manifestUri(repo, reference), Scope.pull(repo))
        .header("Accept", String.join(", ", accept.stream().map(MediaType::toString).toList()));
  }

  private URI manifestUri(String repo, String reference) {
    checkRepo(repo);
    if (asDigest(reference).isEmpty() && !TAG.matcher(reference).matches()) {
      throw new JbuildException("invalid tag or digest \"" + reference + "\"");
    }
    return endpoint.resolve("/v2/" + repo + "/manifests/" + reference);
  }

  private URI blobUri(String repo, Digest digest) {
    checkRepo(repo);
    return endpoint.resolve("/v2/" + repo + "/blobs/" + digest);
  }

  private static void checkRepo(String repo) {
    if (repo == null || repo.length() > 255 || !REPO.matcher(repo).matches()) {
      throw new JbuildException("invalid repository name \"" + repo + "\"");
    }
  }

  private static Optional<Digest> asDigest(String reference) {
    if (reference == null || !reference.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(reference));
    } catch (InvalidDigestException e) {
      throw new JbuildException("invalid digest reference \"" + reference + "\": " + e.getMessage(), e);
    }
  }

  private static Optional<Digest> headerDigest(Response r) {
    try {
      return r.header("Docker-Content-Digest").map(String::strip).map(Digest::parse);
    } catch (InvalidDigestException e) {
      return Optional.empty();
    }
  }

  private static Optional<MediaType> contentType(Response r) {
    return r.header("Content-Type").map(v -> v.split(";", 2)[0].strip()).flatMap(v -> {
      try {
        return Optional.of(MediaType.parse(v));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    });
  }

  private static boolean isGenericType(MediaType t) {
    return t.value().equals("application/json") || t.value().equals("text/plain")
        || t.value().equals("application/octet-stream");
  }

  /** The media type of a manifest served without a useful Content-Type: its own field, else its shape. */
  private static MediaType sniffType(byte[] bytes, String what) {
    try {
      JsonNode n = Transport.JSON.readTree(bytes);
      String declared = n.path("mediaType").asText("");
      if (!declared.isEmpty()) {
        return MediaType.parse(declared);
      }
      return n.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException(what + ": not a JSON manifest", 200, List.of(), e);
    }
  }

  private static long rangeStart(Response r) {
    // Content-Range: bytes START-END/TOTAL
    return r.header("Content-Range").map(v -> {
      Matcher m = Pattern.compile("bytes\\s+(\\d+)-").matcher(v);
      return m.find() ? Long.parseLong(m.group(1)) : -1L;
    }).orElse(-1L);
  }

  private static Digest digestOf(byte[] bytes, dev.jbuild.store.digest.DigestAlgorithm algorithm) {
    return new Digest(algorithm, HexFormat.of().formatHex(algorithm.newMessageDigest().digest(bytes)));
  }

  private static String name(String repo, String reference) {
    return repo + (reference.contains(":") ? "@" : ":") + reference;
  }

  /** {@code sha256:} and the first 12 hex digits, as messages show a digest. */
  static String shortDigest(Digest d) {
    return d.algorithm().prefix() + d.shortHex();
  }

  @Override
  public void close() {
    transport.close();
  }
}
