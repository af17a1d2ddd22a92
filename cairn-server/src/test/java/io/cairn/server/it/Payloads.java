package io.cairn.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Deterministic pseudo-random content of any size, generated on the fly (no big arrays in the test JVM). */
final class Payloads {
  private Payloads() {}

  static InputStream stream(long seed, long size) {
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

  /** A request body of generated content with a known length (empty bodies need their own publisher). */
  static java.net.http.HttpRequest.BodyPublisher publisher(long seed, long size) {
    return size == 0
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.fromPublisher(
            java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> stream(seed, size)), size);
  }

  static byte[] bytes(long seed, int size) {
    try (InputStream in = stream(seed, size)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(long seed, long size) {
    return sha256(stream(seed, size));
  }

  static String sha256(InputStream in) {
    try (in) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
