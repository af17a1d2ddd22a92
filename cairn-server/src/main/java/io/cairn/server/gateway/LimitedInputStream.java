package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails the upload with PAYLOAD_TOO_LARGE as soon as more than {@code max} bytes arrive. Chunked
 * bodies have no Content-Length to check up front, and the file service must see the failure while it
 * reads so it can abandon the half-written file.
 */
final class LimitedInputStream extends FilterInputStream {
  private final long max;
  private long count;

  LimitedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = super.skip(n);
    add(s);
    return s;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void add(long n) {
    count += n;
    if (count > max) {
      throw tooLarge(max);
    }
  }

  static CairnException tooLarge(long max) {
    return new CairnException(ErrorCode.PAYLOAD_TOO_LARGE, "upload exceeds the limit of " + max + " bytes");
  }
}
