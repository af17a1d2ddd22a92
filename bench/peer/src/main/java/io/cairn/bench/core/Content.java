package io.cairn.bench.core;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * File bodies for the workloads: slices of a fixed 8 MiB pseudo-random pool starting at an offset chosen
 * by the file's seed. Incompressible and cheap to produce, so the client's CPU goes to the store under
 * test rather than to generating bytes (this machine has two cores for client and servers together).
 */
public final class Content {
  private static final int POOL = 8 << 20;
  private static final byte[] BYTES = new byte[POOL];

  static {
    new SplittableRandom(42).nextBytes(BYTES);
  }

  private Content() {}

  /** Writes {@code size} bytes of file {@code seed} to {@code out}. */
  public static void write(long seed, long size, OutputStream out) throws IOException {
    int off = (int) Math.floorMod(seed * 7919L * 4099L, (long) POOL);
    for (long left = size; left > 0; ) {
      int n = (int) Math.min(left, POOL - off);
      out.write(BYTES, off, n);
      left -= n;
      off = 0;
    }
  }

  /** File {@code seed} of {@code size} bytes as a stream (copies from the pool; no per-byte work). */
  public static java.io.InputStream stream(long seed, long size) {
    return new java.io.InputStream() {
      private int off = (int) Math.floorMod(seed * 7919L * 4099L, (long) POOL);
      private long left = size;

      @Override
      public int read() {
        if (left <= 0) {
          return -1;
        }
        left--;
        int b = BYTES[off] & 0xff;
        off = (off + 1) % POOL;
        return b;
      }

      @Override
      public int read(byte[] b, int o, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(Math.min(len, left), POOL - off);
        System.arraycopy(BYTES, off, b, o, n);
        off = (off + n) % POOL;
        left -= n;
        return n;
      }
    };
  }

  /** File {@code seed} of {@code size} bytes as one array (for bodies small enough to hold in memory). */
  public static byte[] bytes(long seed, int size) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
    try {
      write(seed, size, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
