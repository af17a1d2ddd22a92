package io.cairn.server.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports bytes read to a {@link Progress} and remembers whether any byte was taken. */
final class ProgressInputStream extends FilterInputStream {
  private final Progress progress;
  private volatile boolean touched;

  ProgressInputStream(InputStream in, Progress progress) {
    super(in);
    this.progress = progress;
  }

  /** Whether the stream gave out any byte (then a stdin upload can no longer be retried). */
  boolean touched() {
    return touched;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      touched = true;
      progress.add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      touched = true;
      progress.add(n);
    }
    return n;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
