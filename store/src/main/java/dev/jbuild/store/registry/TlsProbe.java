package dev.jbuild.store.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for insecure registries ({@link RegistryEndpoint#tlsVerify()} false): an SSL context that
 * accepts any certificate for any host name, and the probe that decides between HTTPS and plain
 * HTTP for such a host, as docker and podman do (HTTPS first; plain HTTP when the host answers the
 * TLS handshake with something that is not TLS).
 */
final class TlsProbe {
  private static volatile SSLContext trustAll;

  private TlsProbe() {}

  /**
   * Accepts every certificate chain, and (being an extended trust manager, which JSSE leaves the
   * endpoint identification to) every host name.
   */
  static SSLContext trustAll() {
    SSLContext c = trustAll;
    if (c == null) {
      X509ExtendedTrustManager tm = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };
      try {
        c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {tm}, null);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("[internal error] no TLS context: " + e.getMessage(), e);
      }
      trustAll = c;
    }
    return c;
  }

  /**
   * The endpoint to use for an insecure HTTPS endpoint: itself when the host completes a TLS
   * handshake (any certificate), the plain-HTTP one when it answers with something else or
   * nothing. A host that cannot be connected to at all stays HTTPS: the first request reports it.
   * Other endpoints are returned as they are, without any traffic.
   */
  static RegistryEndpoint settle(RegistryEndpoint e, Duration timeout) {
    if (e.tlsVerify() || e.plainHttp()) {
      return e;
    }
    URI b = e.base();
    String host = b.getHost().startsWith("[") ? b.getHost().substring(1, b.getHost().length() - 1) : b.getHost();
    int port = b.getPort() < 0 ? 443 : b.getPort();
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    Socket raw = new Socket();
    try {
      try {
        raw.connect(new InetSocketAddress(host, port), millis);
      } catch (IOException unreachable) {
        return e;
      }
      raw.setSoTimeout(millis);
      try (SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(raw, host, port, true)) {
        tls.startHandshake();
        return e;
      } catch (SSLException | SocketTimeoutException | java.io.EOFException notTls) {
        return e.overPlainHttp();
      }
    } catch (IOException ioe) {
      // the peer reset the connection mid-handshake: not a TLS server either
      return e.overPlainHttp();
    } finally {
      try {
        raw.close();
      } catch (IOException ignored) {
        // nothing was sent that needs an orderly close
      }
    }
  }
}
