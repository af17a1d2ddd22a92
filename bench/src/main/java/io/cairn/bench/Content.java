package io.cairn.bench;

import java.io.InputStream;

/** Incompressible generated content of any size, produced on the fly. */
final class Content {
  private Content() {}

  static InputStream stream(long seed, long size) {
    return new InputStream() {
      long x = seed * 0x9E3779B97F4A7C15L + 1;
      long left = size;

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
        int n = (int) Math.min(len, left) & ~7;
        if (n == 0) {
          n = (int) Math.min(len, left);
        }
        for (int i = 0; i < n; i += 8) {
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
          long w = x;
          for (int j = 0; j < 8 && i + j < n; j++) {
            b[off + i + j] = (byte) w;
            w >>>= 8;
          }
        }
        left -= n;
        return n;
      }
    };
  }
}
