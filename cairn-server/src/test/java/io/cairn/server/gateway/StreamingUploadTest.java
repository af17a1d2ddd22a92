package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A ~300 MB upload through the gateway must reach the file service while the client is still sending:
 * proof that the gateway streams rather than buffering the body.
 */
class StreamingUploadTest extends GatewayTestBase {
  private static final long SIZE = 300L << 20;

  /** Produces {@code size} bytes of a pattern without holding them. */
  static final class GeneratedInput extends InputStream {
    final AtomicLong produced = new AtomicLong();
    private final long size;

    GeneratedInput(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long left = size - produced.get();
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) (produced.get() + i);
      }
      produced.addAndGet(n);
      return n;
    }
  }

  @Test
  void largeUploadIsStreamedNotBuffered() {
    files.discardBodies(true);
    GeneratedInput gen = new GeneratedInput(SIZE);
    AtomicLong producedWhenPutStarted = new AtomicLong(-1);
    files.onPut(r -> producedWhenPutStarted.set(gen.produced.get()));

    HttpResponse<byte[]> r = send(request("/api/v1/files/big/stream.bin")
        .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> gen), SIZE)));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).path("size").asLong()).isEqualTo(SIZE);
    assertThat(files.bytesReceived()).isEqualTo(SIZE);
    // The service started reading long before the client finished producing.
    assertThat(producedWhenPutStarted.get()).isBetween(0L, 64L << 20);

    HttpResponse<byte[]> tail = send(request("/api/v1/files/big/stream.bin").header("Range", "bytes=-16").GET());
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + (SIZE - 16) + "-" + (SIZE - 1)
        + "/" + SIZE);
  }
}
