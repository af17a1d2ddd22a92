package io.cairn.chunk;

import java.io.Closeable;
import java.util.List;

/**
 * A node's local store of chunk blobs (already encrypted bytes; the store never sees plaintext).
 *
 * <p><b>Durability.</b> When {@link #putAndSync} returns, the blob and its directory entry are on
 * stable storage (fsync of file and directory). A crash never leaves a partial blob under a chunk id.
 *
 * <p><b>Integrity.</b> Every blob is stored with its CRC32C; {@link #read} verifies it. A blob that
 * fails verification is moved to quarantine (never silently dropped), counted, and reported as
 * CHECKSUM_MISMATCH so the caller can try another replica and heal this one.
 *
 * <p><b>Errors.</b> {@link io.cairn.common.CairnException} with NOT_FOUND, CHECKSUM_MISMATCH (a stored
 * blob failed verification, or the data given to a put does not match the given CRC; nothing written),
 * INSUFFICIENT_STORAGE (capacity or disk reserve reached; nothing written), INVALID_ARGUMENT (bad id: ids
 * are 8-64 characters of [0-9a-zA-Z_-]; bad length), ALREADY_EXISTS (a put names an id that holds a
 * valid blob with other content; the stored blob is kept), INTERNAL (I/O error).
 *
 * <p><b>Threads.</b> Safe for concurrent use. Concurrent puts of the same id with the same content are
 * idempotent.
 */
public interface ChunkStore extends Closeable {

  /** Stores {@code data[0..length)} under {@code chunkId} after checking it against {@code crc32c}. */
  void putAndSync(String chunkId, byte[] data, int length, long crc32c);

  /** Reads and verifies a blob. */
  byte[] read(String chunkId);

  /** True when a blob with this id is stored (not verified). */
  boolean contains(String chunkId);

  /** Removes a blob; false if it was not there. */
  boolean delete(String chunkId);

  /** Every stored blob (not quarantined ones). */
  List<StoredChunk> list();

  /** Bytes used by stored blobs. */
  long usedBytes();

  /** Bytes this store may still accept: min(capacity - used, disk free - reserve), never negative. */
  long freeBytes();

  /** Count of blobs quarantined since start. */
  long quarantinedCount();

  /**
   * Why this store stopped accepting chunks (an I/O error on its directory), or empty while healthy. A
   * failed store refuses puts and reports no free space, so placement skips the node, but it keeps serving
   * the chunks it can still read; the node stays up.
   */
  default java.util.Optional<String> failure() {
    return java.util.Optional.empty();
  }
}
