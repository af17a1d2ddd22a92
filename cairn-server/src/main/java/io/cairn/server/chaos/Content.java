package io.cairn.server.chaos;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic upload content: the bytes of write {@code id} are a xorshift stream seeded by the id. */
final class Content {
  private Content() {}

  static byte[] of(long writeId, int size) {
    byte[] b = new byte[size];
    long x = writeId * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (int i = 0; i < size; i++) {
      if ((i & 7) == 0) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
      b[i] = (byte) (x >>> ((i & 7) * 8));
    }
    return b;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] b) {
    return HexFormat.of().formatHex(sha256().digest(b));
  }
}
