package io.cairn.chunk;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte accounting of a {@link FileChunkStore}: blob bytes against the configured capacity, and file
 * bytes against the disk's usable space minus the reserve.
 *
 * <p>A put reserves its bytes before writing and gives them back if the write fails, so concurrent puts
 * can never together overshoot the capacity. Disk bytes of writes still in flight are subtracted from
 * what the file system reports, because the file system has not seen them yet. Thread-safe, lock-free.
 */
final class SpaceAccount {
  private final Path dir;
  private final FileStore fileStore;
  private final long capacity;
  private final long diskReserve;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong inFlightDisk = new AtomicLong();

  SpaceAccount(Path dir, FileStore fileStore, long capacity, long diskReserve, long initialUsed) {
    this.dir = dir;
    this.fileStore = fileStore;
    this.capacity = capacity;
    this.diskReserve = diskReserve;
    used.set(initialUsed);
  }

  long used() {
    return used.get();
  }

  long free() {
    long byCapacity = capacity - used.get();
    long byDisk = usableDisk() - diskReserve - inFlightDisk.get();
    return Math.max(0, Math.min(byCapacity, byDisk));
  }

  /** Claims room for one blob or throws INSUFFICIENT_STORAGE having claimed nothing. */
  void reserve(String chunkId, int length) {
    long cur;
    do {
      cur = used.get();
      if (cur + length > capacity) {
        throw new CairnException(ErrorCode.INSUFFICIENT_STORAGE, "chunk store " + dir + " is full: chunk "
            + chunkId + " needs " + ByteSize.human(length) + " but only " + ByteSize.human(capacity - cur)
            + " of its " + ByteSize.human(capacity) + " capacity is left");
      }
    } while (!used.compareAndSet(cur, cur + length));
    long disk = diskBytes(length);
    long othersInFlight = inFlightDisk.getAndAdd(disk);
    long usable;
    try {
      usable = usableDisk();
    } catch (CairnException e) {
      failed(length);
      throw e;
    }
    if (usable - diskReserve - othersInFlight < disk) {
      failed(length);
      throw new CairnException(ErrorCode.INSUFFICIENT_STORAGE, "disk under " + dir + " is nearly full: chunk "
          + chunkId + " needs " + ByteSize.human(disk) + " but only " + ByteSize.human(usable)
          + " is usable and " + ByteSize.human(diskReserve) + " is kept in reserve");
    }
  }

  /** The reserved blob is on disk. */
  void written(int length) {
    inFlightDisk.addAndGet(-diskBytes(length));
  }

  /** The reserved blob was not written; give its bytes back. */
  void failed(int length) {
    inFlightDisk.addAndGet(-diskBytes(length));
    used.addAndGet(-length);
  }

  /**
   * A blob left the store (deleted or quarantined). Floored at zero: a file changed behind the store's
   * back can make the estimate too large, and a negative count would overstate free space. Any such
   * drift is corrected at the next open, which recounts from disk.
   */
  void removed(long payloadBytes) {
    used.updateAndGet(u -> Math.max(0, u - payloadBytes));
  }

  private static long diskBytes(int length) {
    return (long) length + ChunkFileFormat.HEADER_SIZE;
  }

  private long usableDisk() {
    try {
      return fileStore.getUsableSpace();
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not read free space of the disk under " + dir
          + ": " + e, e);
    }
  }
}
