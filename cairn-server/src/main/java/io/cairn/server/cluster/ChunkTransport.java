package io.cairn.server.cluster;

import io.cairn.chunk.Checksums;
import io.cairn.chunk.ChunkStore;
import io.cairn.cluster.PeerClient;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves chunk bytes to and from any node, this one included: the one place that knows "local store or
 * peer", and the one place that verifies fetched bytes against the CRC32C and length recorded in
 * metadata. Every in-flight call is counted in the {@link ClusterMap} so reads can prefer idle nodes.
 */
public final class ChunkTransport {
  private static final Logger log = LoggerFactory.getLogger(ChunkTransport.class);

  private final ClusterMap cluster;
  private final ChunkStore localStore;
  private final PeerClient peers;

  public ChunkTransport(ClusterMap cluster, ChunkStore localStore, PeerClient peers) {
    this.cluster = cluster;
    this.localStore = localStore;
    this.peers = peers;
  }

  /** The stored (sealed) bytes of {@code chunk} on {@code node}, verified; CHECKSUM_MISMATCH when wrong. */
  public byte[] readVerified(int node, ChunkRef chunk) {
    byte[] sealed;
    try (ClusterMap.Inflight ignored = cluster.track(node)) {
      sealed = node == cluster.selfId()
          ? localStore.read(chunk.chunkId())
          : peers.getChunk(cluster.node(node).internalAddress(), chunk.chunkId());
    }
    if (sealed.length != chunk.storedLength() || Checksums.crc32c(sealed, 0, sealed.length) != chunk.crc32c()) {
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH,
          "stored bytes of chunk " + chunk.chunkId() + " on node " + node + " do not match its length/CRC32C");
    }
    return sealed;
  }

  /** The first replica (other than {@code exclude}) that yields verified bytes; UNAVAILABLE if none does. */
  public byte[] readFromAny(ChunkRef chunk, int exclude) {
    StringBuilder failures = new StringBuilder();
    for (int node : chunk.replicas()) {
      if (node == exclude) {
        continue;
      }
      try {
        return readVerified(node, chunk);
      } catch (CairnException e) {
        failures.append(" node ").append(node).append(": ").append(e.getMessage()).append(';');
      }
    }
    throw new CairnException(ErrorCode.UNAVAILABLE, "no good replica of chunk " + chunk.chunkId() + ":" + failures);
  }

  /** Stores a chunk on {@code node}; returns after the node has fsynced it. */
  public void write(int node, String chunkId, byte[] sealed, long crc32c) {
    try (ClusterMap.Inflight ignored = cluster.track(node)) {
      if (node == cluster.selfId()) {
        localStore.putAndSync(chunkId, sealed, sealed.length, crc32c);
      } else {
        peers.putChunk(cluster.node(node).internalAddress(), chunkId, sealed, sealed.length, crc32c);
      }
    }
  }

  /**
   * Removes the replica on {@code node}. True when it is gone (deleted now or already absent); false when
   * the node could not be asked, so the caller may retry later.
   */
  public boolean remove(int node, String chunkId) {
    try {
      if (node == cluster.selfId()) {
        localStore.delete(chunkId);
      } else {
        peers.deleteChunk(cluster.node(node).internalAddress(), chunkId);
      }
      return true;
    } catch (CairnException e) {
      log.debug("could not remove chunk {} from node {}: {}", chunkId, node, e.getMessage());
      return false;
    }
  }
}
