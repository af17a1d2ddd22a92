package io.cairn.common;

import java.util.List;

/**
 * One chunk of a file as recorded in metadata.
 *
 * @param chunkId globally unique id of the stored blob (also its file name on every replica)
 * @param index position of the chunk in the file, from 0
 * @param offset offset of the chunk's first plaintext byte in the file
 * @param plainLength plaintext bytes in this chunk
 * @param storedLength bytes of the stored (encrypted) blob, header excluded
 * @param crc32c CRC32C of the stored blob, as an unsigned 32-bit value
 * @param replicas node ids holding a durable copy
 */
public record ChunkRef(
    String chunkId,
    int index,
    long offset,
    int plainLength,
    int storedLength,
    long crc32c,
    List<Integer> replicas) {
  public ChunkRef {
    replicas = List.copyOf(replicas);
  }

  public ChunkRef withReplicas(List<Integer> r) {
    return new ChunkRef(chunkId, index, offset, plainLength, storedLength, crc32c, r);
  }
}
