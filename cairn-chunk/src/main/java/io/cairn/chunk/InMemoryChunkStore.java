package io.cairn.chunk;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ChunkStore} in memory, for tests of code that needs a node's chunk store. It follows the same
 * contract as {@link FileChunkStore} (id rules, CRC check on put, idempotent puts, capacity,
 * quarantine on a failed checksum), minus durability: nothing survives the object.
 *
 * <p>{@link #corrupt} simulates bit rot so tests can exercise the quarantine and heal paths.
 *
 * <p>Thread-safe. Blobs are copied in and out, so callers may reuse their arrays.
 */
public final class InMemoryChunkStore implements ChunkStore {
  private record Blob(byte[] data, long crc32c, long modifiedMillis) {}

  private final long capacity;
  private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  // One lock is plenty for a test double and makes check-then-act on capacity trivially correct.
  private final ReentrantLock lock = new ReentrantLock();

  /** A store without a practical capacity limit. */
  public InMemoryChunkStore() {
    this(ChunkStoreConfig.DEFAULT_CAPACITY.bytes());
  }

  /** A store that accepts at most {@code capacityBytes} of blobs. */
  public InMemoryChunkStore(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw CairnException.invalid("capacity must be > 0, was " + capacityBytes);
    }
    this.capacity = capacityBytes;
  }

  @Override
  public void putAndSync(String chunkId, byte[] data, int length, long crc32c) {
    ChunkIds.checkPut(chunkId, data, length);
    long actual = Checksums.crc32c(data, 0, length);
    if (actual != crc32c) {
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, String.format(
          "chunk %s does not match its checksum (given %08x, computed %08x); nothing written", chunkId, crc32c,
          actual));
    }
    lock.lock();
    try {
      Blob existing = blobs.get(chunkId);
      if (existing != null && !intact(existing)) {
        quarantine(chunkId, existing);
        existing = null;
      }
      if (existing != null) {
        if (existing.data.length == length && existing.crc32c == crc32c) {
          return;
        }
        throw new CairnException(ErrorCode.ALREADY_EXISTS, "chunk " + chunkId
            + " already holds different content; the stored blob is kept");
      }
      if (used.get() + length > capacity) {
        throw new CairnException(ErrorCode.INSUFFICIENT_STORAGE, "in-memory chunk store is full: chunk " + chunkId
            + " needs " + ByteSize.human(length) + " but only " + ByteSize.human(capacity - used.get())
            + " is left");
      }
      blobs.put(chunkId, new Blob(Arrays.copyOf(data, length), crc32c, System.currentTimeMillis()));
      used.addAndGet(length);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] read(String chunkId) {
    Blob b = blobs.get(ChunkIds.check(chunkId));
    if (b == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + chunkId + " is not stored on this node");
    }
    if (!intact(b)) {
      lock.lock();
      try {
        quarantine(chunkId, b);
      } finally {
        lock.unlock();
      }
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkId
          + " failed its checksum; it was quarantined, read another replica");
    }
    return b.data.clone();
  }

  @Override
  public boolean contains(String chunkId) {
    return blobs.containsKey(ChunkIds.check(chunkId));
  }

  @Override
  public boolean delete(String chunkId) {
    ChunkIds.check(chunkId);
    lock.lock();
    try {
      Blob b = blobs.remove(chunkId);
      if (b == null) {
        return false;
      }
      used.addAndGet(-b.data.length);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StoredChunk> list() {
    List<StoredChunk> out = new ArrayList<>();
    blobs.forEach((id, b) -> out.add(new StoredChunk(id, b.data.length, b.modifiedMillis)));
    return out;
  }

  @Override
  public long usedBytes() {
    return used.get();
  }

  @Override
  public long freeBytes() {
    return Math.max(0, capacity - used.get());
  }

  @Override
  public long quarantinedCount() {
    return quarantined.get();
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  /**
   * Test hook: flips one bit of a stored blob in place, as a failing disk would, so the next read fails
   * its checksum. Throws NOT_FOUND if the blob is not stored, INVALID_ARGUMENT if it is empty.
   */
  public void corrupt(String chunkId) {
    Blob b = blobs.get(ChunkIds.check(chunkId));
    if (b == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + chunkId + " is not stored on this node");
    }
    if (b.data.length == 0) {
      throw CairnException.invalid("chunk " + chunkId + " is empty; there is no bit to flip");
    }
    b.data[b.data.length / 2] ^= 0x01;
  }

  private static boolean intact(Blob b) {
    return Checksums.crc32c(b.data, 0, b.data.length) == b.crc32c;
  }

  /** Drops the blob if it is still the one found corrupt. Caller holds the lock. */
  private void quarantine(String chunkId, Blob b) {
    if (blobs.remove(chunkId, b)) {
      used.addAndGet(-b.data.length);
      quarantined.incrementAndGet();
    }
  }
}
