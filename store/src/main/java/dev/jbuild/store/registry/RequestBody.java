package dev.jbuild.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A request body of known length that can be sent more than once (after a 401, or on a fresh
 * connection): bytes in memory, a file (sent with {@code sendfile} by {@link PlainHttp}) or a
 * stream source opened once per send.
 */
abstract class RequestBody {
  static final RequestBody NONE = bytes(new byte[0], 0, 0);
  /** What a file or stream body moves per write, and between two progress reports. */
  private static final int STEP = 4 << 20;

  /** The exact number of bytes sent. */
  abstract long length();

  /** Writes the whole body ({@link PlainHttp}); fails if the content is shorter than announced. */
  abstract void writeTo(OutputStream out, WritableByteChannel channel) throws IOException;

  /** The body for the JDK client (HTTPS). */
  abstract BodyPublisher publisher();

  /** The body as one array, when it is small enough to go out with the request head. */
  byte[] small() {
    return null;
  }

  static RequestBody bytes(byte[] b, int off, int len) {
    return new RequestBody() {
      @Override
      long length() {
        return len;
      }

      @Override
      void writeTo(OutputStream out, WritableByteChannel channel) throws IOException {
        out.write(b, off, len);
      }

      @Override
      BodyPublisher publisher() {
        return len == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(b, off, len);
      }

      @Override
      byte[] small() {
        return len <= 16 << 10 ? java.util.Arrays.copyOfRange(b, off, off + len) : null;
      }
    };
  }

  /** Opens a stream for one send; the body closes it. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  /** {@code length} bytes of a stream that {@code opener} opens anew for every send. */
  static RequestBody stream(long length, Opener opener, TransferProgress progress) {
    return new RequestBody() {
      @Override
      long length() {
        return length;
      }

      @Override
      void writeTo(OutputStream out, WritableByteChannel channel) throws IOException {
        byte[] buf = new byte[(int) Math.min(STEP / 16, Math.max(1, length))];
        long sent = 0;
        try (InputStream in = open()) {
          while (sent < length) {
            int n;
            try {
              n = in.read(buf, 0, (int) Math.min(buf.length, length - sent));
            } catch (IOException e) {
              throw new LocalContentException("reading the content to upload: " + e.getMessage(), e);
            }
            if (n < 0) {
              throw new LocalContentException("content to upload ended after " + sent + " of " + length + " bytes", null);
            }
            out.write(buf, 0, n);
            sent += n;
            progress.transferred(sent);
          }
        }
      }

      private InputStream open() throws LocalContentException {
        try {
          return opener.open();
        } catch (IOException e) {
          throw new LocalContentException("opening the content to upload: " + e.getMessage(), e);
        }
      }

      @Override
      BodyPublisher publisher() {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> {
          try {
            return new CountingInputStream(opener.open(), progress);
          } catch (IOException e) {
            throw new UncheckedIOException("opening the blob to upload", e);
          }
        }), length);
      }
    };
  }

  /** The first {@code length} bytes of an open file, sent from its start every time. */
  static RequestBody file(FileChannel file, long length, TransferProgress progress) {
    return new RequestBody() {
      @Override
      long length() {
        return length;
      }

      @Override
      void writeTo(OutputStream out, WritableByteChannel channel) throws IOException {
        long sent = 0;
        while (sent < length) {
          // a blocking socket channel takes this as sendfile(2): no copy through the heap
          long n = file.transferTo(sent, Math.min(STEP, length - sent), channel);
          if (n <= 0) {
            throw new LocalContentException("content to upload ended after " + sent + " of " + length + " bytes", null);
          }
          sent += n;
          progress.transferred(sent);
        }
      }

      @Override
      BodyPublisher publisher() {
        // positional reads: the stream starts at 0 each time, and closing it leaves the file open
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new CountingInputStream(new InputStream() {
          private long pos;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= length) {
              return -1;
            }
            int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, length - pos)), pos);
            if (n > 0) {
              pos += n;
            }
            return n;
          }
        }, progress)), length);
      }
    };
  }

  /**
   * The content to send failed (shorter than announced, unreadable), not the connection: the
   * request is abandoned without waiting for an answer.
   */
  static final class LocalContentException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalContentException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Counts what is read from an upload source, for progress. */
  static final class CountingInputStream extends java.io.FilterInputStream {
    private final TransferProgress progress;
    private long count;

    CountingInputStream(InputStream in, TransferProgress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        progress.transferred(++count);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        progress.transferred(count);
      }
      return n;
    }
  }
}
