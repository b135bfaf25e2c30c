package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One HTTP response as {@link Transport} hands it out, whichever client fetched it: status, headers
 * (names compared without case) and the body, which the caller closes.
 */
final class Response {
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;

  Response(int status, Map<String, List<String>> headers, InputStream body) {
    this.status = status;
    this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> this.headers.merge(k, List.copyOf(v), (a, b) -> {
      java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
      all.addAll(b);
      return all;
    }));
    this.body = body;
  }

  int statusCode() {
    return status;
  }

  /** The first value of a header. */
  Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Every value of a header, in order. */
  List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The first value of a header as a number; empty when absent or not a number. */
  OptionalLong longHeader(String name) {
    Optional<String> v = header(name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.get().strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  InputStream body() {
    return body;
  }

  /** Closes the body; a connection it came over goes back to its pool when that is cheap. */
  void close() {
    try {
      body.close();
    } catch (IOException e) {
      // the connection is dropped either way
    }
  }
}
