package io.cairn.server.launch;

import java.io.InputStream;

/**
 * Deterministic, incompressible content of any size, produced on the fly (load generators, tests): the
 * same seed and size always give the same bytes, however the reader sizes its reads.
 */
public final class GeneratedContent {
  private GeneratedContent() {}

  public static InputStream stream(long seed, long size) {
    return new InputStream() {
      long x = seed * 0x9E3779B97F4A7C15L + 1;
      long left = size;
      long word;
      int avail;

      @Override
      public int read() {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          if (avail == 0) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            word = x;
            avail = 8;
          }
          b[off + i] = (byte) word;
          word >>>= 8;
          avail--;
        }
        left -= n;
        return n;
      }
    };
  }
}
