package io.cairn.server.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** The additional checksums S3 clients send ({@code x-amz-checksum-*}), computed over the decoded body. */
final class Checksums {
  static final String HEADER_PREFIX = "x-amz-checksum-";

  private Checksums() {}

  /** A running checksum; {@link #base64()} is the value as S3 headers carry it. */
  interface Running {
    void update(byte[] b, int off, int len);

    byte[] result();

    default String base64() {
      return Base64.getEncoder().encodeToString(result());
    }
  }

  /** The algorithm for a header name such as {@code x-amz-checksum-crc32}, or null when unknown. */
  static Running forHeader(String header) {
    String h = header.toLowerCase(Locale.ROOT).trim();
    if (!h.startsWith(HEADER_PREFIX)) {
      return null;
    }
    return forAlgorithm(h.substring(HEADER_PREFIX.length()));
  }

  static Running forAlgorithm(String algorithm) {
    return switch (algorithm.toLowerCase(Locale.ROOT)) {
      case "crc32" -> crc(new CRC32());
      case "crc32c" -> crc(new CRC32C());
      case "crc64nvme" -> new Crc64Nvme();
      case "sha1" -> digest("SHA-1");
      case "sha256" -> digest("SHA-256");
      default -> null;
    };
  }

  private static Running crc(java.util.zip.Checksum c) {
    return new Running() {
      @Override
      public void update(byte[] b, int off, int len) {
        c.update(b, off, len);
      }

      @Override
      public byte[] result() {
        return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
      }
    };
  }

  private static Running digest(String name) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new Running() {
      @Override
      public void update(byte[] b, int off, int len) {
        md.update(b, off, len);
      }

      @Override
      public byte[] result() {
        return md.digest();
      }
    };
  }

  /** CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xor-out all ones). */
  static final class Crc64Nvme implements Running {
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long c = i;
        for (int k = 0; k < 8; k++) {
          c = (c & 1) != 0 ? (c >>> 1) ^ 0x9a6c9329ac4bc9b5L : c >>> 1;
        }
        TABLE[i] = c;
      }
    }

    private long crc = -1L;

    @Override
    public void update(byte[] b, int off, int len) {
      long c = crc;
      for (int i = off; i < off + len; i++) {
        c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
      }
      crc = c;
    }

    long value() {
      return ~crc;
    }

    @Override
    public byte[] result() {
      return ByteBuffer.allocate(8).putLong(value()).array();
    }
  }
}
