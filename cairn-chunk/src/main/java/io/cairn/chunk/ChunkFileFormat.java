package io.cairn.chunk;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The on-disk layout of one chunk file (see docs/FORMAT.md): a 16-byte big-endian header, then the
 * payload.
 *
 * <pre>
 *   0  magic "CRN1"        4 bytes
 *   4  format version u16  = 1
 *   6  flags u16           = 0
 *   8  payload length u32
 *  12  payload CRC32C u32
 *  16  payload
 * </pre>
 */
final class ChunkFileFormat {
  static final int HEADER_SIZE = 16;
  static final int MAGIC = 0x43524E31; // "CRN1"
  static final int VERSION = 1;
  static final int FLAGS = 0;

  private ChunkFileFormat() {}

  /** Payload bytes implied by a file's size; what the store accounts, so open and put always agree. */
  static long payloadSize(long fileSize) {
    return Math.max(0, fileSize - HEADER_SIZE);
  }

  /** Writes header and payload at the channel's position. */
  static void write(FileChannel ch, byte[] data, int length, long crc32c) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE)
        .putInt(MAGIC)
        .putShort((short) VERSION)
        .putShort((short) FLAGS)
        .putInt(length)
        .putInt((int) crc32c)
        .flip();
    writeFully(ch, header);
    writeFully(ch, ByteBuffer.wrap(data, 0, length));
  }

  /**
   * Reads the whole file and verifies everything the header promises. The file size must equal header
   * plus declared length exactly: a short file is a torn write or truncation, a long one is not ours.
   */
  static byte[] read(FileChannel ch) throws IOException, CorruptChunkException {
    long size = ch.size();
    if (size < HEADER_SIZE) {
      throw new CorruptChunkException("is truncated (" + size + " bytes, shorter than its header)", 0);
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    readFully(ch, header, 0);
    header.flip();
    int magic = header.getInt();
    int version = Short.toUnsignedInt(header.getShort());
    int flags = Short.toUnsignedInt(header.getShort());
    long length = Integer.toUnsignedLong(header.getInt());
    long crc = Integer.toUnsignedLong(header.getInt());
    if (magic != MAGIC) {
      throw new CorruptChunkException(
          String.format("has a bad header (magic 0x%08x, expected \"CRN1\")", magic), payloadSize(size));
    }
    if (version != VERSION || flags != FLAGS) {
      throw new CorruptChunkException("has an unknown format (version " + version + ", flags " + flags + ")",
          payloadSize(size));
    }
    // From here the header is ours, so its length is what the store accounted when it wrote the file,
    // even if the file has since been cut short.
    if (length > Integer.MAX_VALUE - 8) {
      throw new CorruptChunkException("declares an impossible length (" + length + " bytes)", payloadSize(size));
    }
    if (size != HEADER_SIZE + length) {
      throw new CorruptChunkException((size < HEADER_SIZE + length ? "is truncated" : "has trailing bytes")
          + " (header says " + length + " payload bytes, file holds " + (size - HEADER_SIZE) + ")", length);
    }
    byte[] payload = new byte[(int) length];
    try {
      readFully(ch, ByteBuffer.wrap(payload), HEADER_SIZE);
    } catch (EOFException e) {
      throw new CorruptChunkException("is truncated (it shrank while being read)", length);
    }
    long actual = Checksums.crc32c(payload, 0, payload.length);
    if (actual != crc) {
      throw new CorruptChunkException(
          String.format("failed its checksum (stored %08x, computed %08x)", crc, actual), length);
    }
    return payload;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new EOFException("file ended early at byte " + pos);
      }
      pos += n;
    }
  }
}
