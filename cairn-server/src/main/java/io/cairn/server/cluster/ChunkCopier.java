package io.cairn.server.cluster;

import io.cairn.common.ChunkRef;
import java.time.Clock;
import java.util.List;

/**
 * Copies one chunk onto new nodes for background work (healing, rebalancing): reads verified bytes
 * from one of the given source replicas, then, within a byte-rate budget, writes (and fsyncs) them on
 * each target. The metadata is not touched here; the caller switches the replica list through Raft
 * once the copies are durable, so a listed replica always exists.
 */
public final class ChunkCopier {
  private final ChunkTransport transport;
  private final RateLimiter bandwidth;

  public ChunkCopier(ChunkTransport transport, long bytesPerSecond, Clock clock) {
    this.transport = transport;
    this.bandwidth = new RateLimiter(bytesPerSecond, clock);
  }

  /**
   * Copies {@code chunk} from the first good replica among {@code sources} to every node of {@code
   * targets}; returns the chunk's stored length. Throws CairnException when no source yields verified
   * bytes or a target write fails; targets written before the failure keep an unlisted copy, which
   * their orphan sweep removes after the grace period.
   */
  public int copy(ChunkRef chunk, List<Integer> sources, List<Integer> targets) {
    byte[] sealed = transport.readFromAny(chunk.withReplicas(sources), -1);
    for (int target : targets) {
      bandwidth.acquire(sealed.length);
      transport.write(target, chunk.chunkId(), sealed, chunk.crc32c());
    }
    return sealed.length;
  }
}
