package io.cairn.chunk;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import java.nio.file.Path;

/**
 * Settings of a {@link FileChunkStore}.
 *
 * @param dir root directory of the store; {@code chunks/}, {@code tmp/} and {@code quarantine/} live
 *     under it
 * @param capacity most blob bytes (headers excluded) this store accepts; the default is so large that
 *     the disk, not this limit, decides
 * @param diskReserve disk space the store leaves free, so that a full store never starves the metadata
 *     store or the logs sharing the disk
 */
public record ChunkStoreConfig(Path dir, ByteSize capacity, ByteSize diskReserve) {
  public static final ByteSize DEFAULT_CAPACITY = ByteSize.parse("1TiB");
  public static final ByteSize DEFAULT_DISK_RESERVE = ByteSize.ofMiB(64);

  public ChunkStoreConfig {
    if (dir == null) {
      throw CairnException.invalid("chunk store directory is required");
    }
    if (capacity == null || capacity.bytes() == 0) {
      throw CairnException.invalid("chunk store capacity must be > 0, was " + capacity);
    }
    if (diskReserve == null) {
      throw CairnException.invalid("chunk store disk reserve is required (may be 0)");
    }
    dir = dir.toAbsolutePath().normalize();
  }

  /** A store in {@code dir} with the default capacity and disk reserve. */
  public static ChunkStoreConfig of(Path dir) {
    return new ChunkStoreConfig(dir, DEFAULT_CAPACITY, DEFAULT_DISK_RESERVE);
  }

  public ChunkStoreConfig withCapacity(ByteSize c) {
    return new ChunkStoreConfig(dir, c, diskReserve);
  }

  public ChunkStoreConfig withDiskReserve(ByteSize r) {
    return new ChunkStoreConfig(dir, capacity, r);
  }
}
