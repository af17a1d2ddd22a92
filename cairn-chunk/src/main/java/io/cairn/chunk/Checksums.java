package io.cairn.chunk;

import java.util.zip.CRC32C;

/**
 * CRC32C, the checksum Cairn stores with every chunk blob and records in {@link io.cairn.common.ChunkRef}.
 * CRC32C rather than CRC32 because the JDK maps it onto the SSE4.2/ARMv8 instruction, so checking a
 * blob costs far less than reading it from disk.
 *
 * <p>Stateless and thread-safe.
 */
public final class Checksums {
  private Checksums() {}

  /** CRC32C of {@code b[off..off+len)} as an unsigned 32-bit value. */
  public static long crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return crc.getValue();
  }
}
