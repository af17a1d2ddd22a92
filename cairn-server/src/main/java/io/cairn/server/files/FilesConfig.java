package io.cairn.server.files;

import io.cairn.common.ByteSize;
import java.time.Duration;

/**
 * Settings of the data path.
 *
 * @param chunkSize plaintext bytes per chunk (1 MiB .. 64 MiB)
 * @param replication replicas written per chunk
 * @param writeQuorum replicas that must be durable before an upload is acknowledged (1..replication)
 * @param cacheCapacity bytes of decrypted chunk data kept in memory
 * @param uploadsInFlightPerFile chunks of one upload replicated concurrently (memory: this many sealed chunks)
 * @param chunkTimeout how long one chunk transfer to a peer may take
 * @param inlineMax files up to this size are kept (encrypted) inside their metadata record instead of as
 *     chunks: one Raft write and no chunk fetch (0 disables)
 */
public record FilesConfig(
    ByteSize chunkSize,
    int replication,
    int writeQuorum,
    ByteSize cacheCapacity,
    int uploadsInFlightPerFile,
    Duration chunkTimeout,
    ByteSize inlineMax) {
  public FilesConfig {
    if (chunkSize.bytes() < ByteSize.ofKiB(64).bytes() || chunkSize.bytes() > ByteSize.ofMiB(64).bytes()) {
      throw new IllegalArgumentException("chunk size must be between 64 KiB and 64 MiB, was " + chunkSize);
    }
    if (replication < 1 || replication > 7) {
      throw new IllegalArgumentException("replication must be 1..7, was " + replication);
    }
    if (writeQuorum < 1 || writeQuorum > replication) {
      throw new IllegalArgumentException("write quorum must be 1.." + replication + ", was " + writeQuorum);
    }
    if (inlineMax.bytes() > ByteSize.ofKiB(64).bytes() || inlineMax.bytes() >= chunkSize.bytes()) {
      throw new IllegalArgumentException("inline limit must be at most 64 KiB and below the chunk size");
    }
    if (uploadsInFlightPerFile < 1) {
      throw new IllegalArgumentException("uploadsInFlightPerFile must be >= 1");
    }
  }

  public static FilesConfig defaults() {
    return new FilesConfig(ByteSize.ofMiB(8), 3, 2, ByteSize.ofMiB(256), 2, Duration.ofSeconds(20),
        ByteSize.ofKiB(4));
  }
}
